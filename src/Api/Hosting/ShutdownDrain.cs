using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ServeNet.Api.Hosting;

/// <summary>
/// Requests in flight when the host stops: on SIGTERM one line says how many there are and how long
/// they have (HostOptions.ShutdownTimeout); Kestrel lets them finish, and when the time is up it
/// aborts their connections: each such request is then logged, one Warning line with its method, path
/// and time, instead of a silent reset.
/// </summary>
public sealed partial class ShutdownDrain
{
    private readonly RequestDelegate _next;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ShutdownDrain> _logger;
    private int _inFlight;

    public ShutdownDrain(RequestDelegate next, IHostApplicationLifetime lifetime, IOptions<HostOptions> host, ILogger<ShutdownDrain> logger)
    {
        _next = next;
        _lifetime = lifetime;
        _logger = logger;
        lifetime.ApplicationStopping.Register(() => LogStopping(Volatile.Read(ref _inFlight), host.Value.ShutdownTimeout.TotalSeconds));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        // The connection's own token, before the request time limit links its own.
        var aborted = context.RequestAborted;
        Interlocked.Increment(ref _inFlight);
        try
        {
            await _next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            // Kestrel may signal RequestAborted only after the body read has failed: the 499 the pipeline answered says it too.
            bool cut = aborted.IsCancellationRequested || context.Response.StatusCode == StatusCodes.Status499ClientClosedRequest;
            if (cut && _lifetime.ApplicationStopping.IsCancellationRequested)
                LogCut(context.Request.Method, context.Request.Path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {InFlight} requests in flight have up to {Seconds} s to finish (HostOptions.ShutdownTimeout)")]
    private partial void LogStopping(int inFlight, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} was cut by shutdown after {Milliseconds:0} ms: its connection was closed before it finished")]
    private partial void LogCut(string method, string path, double milliseconds);
}

public static class ShutdownDrainSetup
{
    /// <summary>Outermost but for the request log: it must see the connection's own RequestAborted.</summary>
    public static IApplicationBuilder UseShutdownDrain(this IApplicationBuilder app) => app.UseMiddleware<ShutdownDrain>();
}
