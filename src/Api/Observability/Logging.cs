using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ServeNet.Api.Observability;

public static class Logging
{
    /// <summary>Characters of a request's path kept in its log line.</summary>
    private const int LoggedPathLength = 256;

    /// <summary>
    /// Serilog to the console, as text or compact JSON (LogOptions.Format); levels from the "Serilog"
    /// section. Each host has its own logger in DI and leaves the static Log.Logger alone
    /// (preserveStaticLogger), so parallel test hosts never write into each other's logs; a test can
    /// add an ILogEventSink service to see the events.
    /// </summary>
    public static IServiceCollection AddServeNetLogging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSerilog((provider, logger) =>
        {
            var options = provider.GetRequiredService<IOptions<LogOptions>>().Value;
            logger
                .MinimumLevel.Information()
                // Framework logs for every request cost more throughput than the model; our request log has one line.
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                // A request over its time limit is already one Warning line (504) from the request log; the
                // middleware would add its cancellation's stack.
                .MinimumLevel.Override("Microsoft.AspNetCore.Http.Timeouts", LogEventLevel.Error)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(provider)
                .Enrich.FromLogContext();
            // The console is written from a background thread: a request never waits on the console
            // lock (at ~15k requests/s the synchronous sink cost a third of the throughput). If the
            // console cannot keep up, events beyond the buffer are dropped rather than slowing requests.
            logger.WriteTo.Async(sink =>
            {
                if (options.Format == LogFormat.Json) sink.Console(new RenderedCompactJsonFormatter());
                else sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }, bufferSize: 100_000, blockWhenFull: false);
        }, preserveStaticLogger: true);

    /// <summary>
    /// One line per request with method, path, status, elapsed time and request id (X-Request-Id), plus the model
    /// version and text count of predictions. Health probes and metric scrapes only at Debug; 500 at Error, 503 at Warning.
    /// </summary>
    public static IApplicationBuilder UseServeNetRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger: the middleware would otherwise write to the static Log.Logger.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            // The X-Request-Id the response carries (RequestIds), in place of Kestrel's connection-based id.
            options.EnrichDiagnosticContext = static (diagnostics, context) => diagnostics.Set("RequestId", context.TraceIdentifier);
            // The path as sent is the client's: a 414 would otherwise write its 8 KB into the log line.
            options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(path.Length <= LoggedPathLength ? path : $"{path[..LoggedPathLength]}… ({path.Length:N0} characters)")),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode == StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics") ? LogEventLevel.Debug
                : context.Response.StatusCode >= 500 ? LogEventLevel.Warning
                : LogEventLevel.Information;
        });
}
