using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Overload;

public static class RequestTimeLimit
{
    /// <summary>
    /// ASP.NET Core's request timeouts with one default policy of OverloadOptions.RequestTimeoutSeconds:
    /// when it expires, HttpContext.RequestAborted is cancelled; the handlers observe it between
    /// chunks of work (and the body is read with it, see Hosting/RequestBodyLimit), and the middleware
    /// answers 504 problem details. It must run inside the exception handler, which would otherwise
    /// take the cancellation for a client that went away.
    /// </summary>
    public static IServiceCollection AddServeNetRequestTimeouts(this IServiceCollection services)
    {
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<OverloadOptions>>((timeouts, overload) =>
        {
            if (overload.Value.RequestTimeoutSeconds <= 0) return;
            var limit = TimeSpan.FromSeconds(overload.Value.RequestTimeoutSeconds);
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limit,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context =>
                {
                    // The body may still be arriving (a slow upload): close rather than drain it for the next request.
                    context.Response.Headers.Connection = "close";
                    return Problems.TimedOut(limit).ExecuteAsync(context);
                },
            };
        });
        return services;
    }
}
