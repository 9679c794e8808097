using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServeNet.Api.Observability;

/// <summary>
/// OpenTelemetry traces and metrics, exported over OTLP when the standard variable OTEL_EXPORTER_OTLP_ENDPOINT (or a
/// signal's own OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / _METRICS_ENDPOINT) is set, and not at all otherwise: without a
/// collector nothing listens, so requests pay nothing for it. The other OTEL_* variables (protocol, headers, service
/// name, batch delays, OTEL_SDK_DISABLED) apply as the SDK documents them. Traces: ASP.NET Core's server spans, which
/// continue an incoming traceparent. Metrics: ASP.NET Core's (http.server.request.duration, Kestrel's connections)
/// and the runtime's (System.Runtime).
/// </summary>
public static class Telemetry
{
    public const string DefaultServiceName = "servenet-api";

    public static bool IsExporting(IConfiguration configuration) =>
        !string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase)
        && new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    public static IServiceCollection AddServeNetTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsExporting(configuration)) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("System.Runtime"))
            .UseOtlpExporter();
        return services;
    }
}
