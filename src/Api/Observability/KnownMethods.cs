using Serilog;

namespace ServeNet.Api.Observability;

/// <summary>
/// The HTTP method is a metric label, and clients choose it: 33k invented methods once made 63k
/// series in /metrics. Every method outside the standard ones is renamed "other" before routing and
/// metrics see it (no endpoint accepts such a method anyway: routing answers 405 or 404 as before);
/// the request log line keeps what was sent as RawMethod.
/// </summary>
public static class KnownMethods
{
    public const string Other = "other";

    /// <summary>Maximum characters of a renamed method kept in the log.</summary>
    private const int LoggedLength = 64;

    public static IApplicationBuilder UseKnownMethods(this IApplicationBuilder app)
    {
        var diagnostics = app.ApplicationServices.GetRequiredService<IDiagnosticContext>();
        return app.Use((context, next) =>
        {
            string method = context.Request.Method;
            if (!IsKnown(method))
            {
                diagnostics.Set("RawMethod", method.Length <= LoggedLength ? method : method[..LoggedLength] + "…");
                context.Request.Method = Other;
            }
            return next(context);
        });
    }

    /// <summary>One of the methods of RFC 9110 and PATCH, spelt exactly (methods are case-sensitive: "get" is another method, and would be another series).</summary>
    public static bool IsKnown(string method) =>
        method is "GET" or "POST" or "HEAD" or "PUT" or "DELETE" or "PATCH" or "OPTIONS" or "TRACE" or "CONNECT";
}
