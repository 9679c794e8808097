using Prometheus;

namespace ServeNet.Api.Observability;

public static class MetricsSetup
{
    /// <summary>
    /// Metrics go to the CollectorRegistry service: prometheus-net's default registry (with process
    /// and .NET runtime metrics) unless a test host registers one of its own.
    /// </summary>
    public static IServiceCollection AddServeNetMetrics(this IServiceCollection services)
    {
        // The default registry's own bridge from .NET meters would publish every meter, the runtime's private
        // ones included (Private.InternalDiagnostics.System.Net.Quic: 32 always-zero series); the host's bridge
        // (below) publishes only the public runtime meter.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        return services.AddSingleton(Metrics.DefaultRegistry).AddSingleton<ApiMetrics>().AddHostedService<MeterBridge>();
    }

    /// <summary>
    /// Request counts and latency histograms per endpoint (route pattern), method and status code: every label is
    /// bounded (the route patterns, /v2's included; the status codes the API gives; the methods of
    /// <see cref="KnownMethods"/>). No controller or action labels (a minimal API has none: they were always empty); a
    /// request that matched no endpoint (404, or 415 refused by routing) has endpoint="unmatched".
    /// </summary>
    public static IApplicationBuilder UseServeNetHttpMetrics(this IApplicationBuilder app)
    {
        var registry = app.ApplicationServices.GetRequiredService<CollectorRegistry>();
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["code", "method", "endpoint"];
        return app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(factory);
            options.AddCustomLabel("endpoint", context => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched");
            options.RequestCount.Counter = factory.CreateCounter("http_requests_received_total",
                "Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.", labels);
            options.RequestDuration.Histogram = factory.CreateHistogram("http_request_duration_seconds",
                "The duration of HTTP requests processed by an ASP.NET Core application.",
                new HistogramConfiguration { LabelNames = labels, Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
            options.InProgress.Gauge = factory.CreateGauge("http_requests_in_progress",
                "The number of requests currently in progress in the ASP.NET Core pipeline.", ["method", "endpoint"]);
        });
    }

    /// <summary>GET /metrics in the Prometheus text format; any other method is answered 405.</summary>
    public static IEndpointConventionBuilder MapServeNetMetrics(this IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<CollectorRegistry>())
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));

    /// <summary>
    /// Publishes the runtime's public meter (System.Runtime: GC, JIT, thread pool, working set) into this host's
    /// registry, for the host's lifetime. ASP.NET Core's own meters are left to OpenTelemetry (the HTTP series above
    /// cover them here) and the runtime's private ones are never published.
    /// </summary>
    private sealed class MeterBridge(CollectorRegistry registry) : IHostedService
    {
        private IDisposable? _adapter;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = registry,
                MetricFactory = Metrics.WithCustomRegistry(registry),
                InstrumentFilterPredicate = IsPublished,
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _adapter?.Dispose();
            return Task.CompletedTask;
        }
    }

    public static bool IsPublished(System.Diagnostics.Metrics.Instrument instrument) => instrument.Meter.Name == "System.Runtime";
}
