using Prometheus;

namespace ServeNet.Api.Observability;

public static class MetricsSetup
{
    /// <summary>
    /// Metrics go to the CollectorRegistry service: prometheus-net's default registry (with process
    /// and .NET runtime metrics) unless a test host registers one of its own.
    /// </summary>
    public static IServiceCollection AddServeNetMetrics(this IServiceCollection services) =>
        services.AddSingleton(Metrics.DefaultRegistry).AddSingleton<ApiMetrics>();

    /// <summary>
    /// Request counts and latency histograms per endpoint (route pattern), method and status code: every
    /// label is bounded (the route patterns, the status codes the API gives, the methods of <see cref="KnownMethods"/>).
    /// </summary>
    public static IApplicationBuilder UseServeNetHttpMetrics(this IApplicationBuilder app)
    {
        var registry = app.ApplicationServices.GetRequiredService<CollectorRegistry>();
        return app.UseHttpMetrics(options => options.SetMetricFactory(Metrics.WithCustomRegistry(registry)));
    }

    /// <summary>GET /metrics in the Prometheus text format; any other method is answered 405.</summary>
    public static IEndpointConventionBuilder MapServeNetMetrics(this IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<CollectorRegistry>())
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
}
