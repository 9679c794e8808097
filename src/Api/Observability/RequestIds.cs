using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace ServeNet.Api.Observability;

/// <summary>
/// Every response says which request it answers: X-Request-Id is the client's (or the proxy's) when it is a plain token
/// of up to 128 characters — letters, digits and . _ : - as nginx passes them — and otherwise a new one (32 hex digits);
/// it becomes the request's TraceIdentifier and its log line's RequestId. traceparent is the W3C trace context of the
/// server's span: ASP.NET Core continues an incoming traceparent, so the trace id is the client's when it sent one.
/// Both are set as the response starts, so that every answer has them, errors included.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";
    public const string TraceParent = "traceparent";

    private static readonly SearchValues<char> Token = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            string? sent = context.Request.Headers[Header];
            context.TraceIdentifier = IsToken(sent) ? sent! : Guid.NewGuid().ToString("N");
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers[Header] = context.TraceIdentifier;
                if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IdFormat: ActivityIdFormat.W3C } activity)
                    headers[TraceParent] = activity.Id;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    public static bool IsToken(string? value) =>
        value is { Length: > 0 and <= 128 } && !value.AsSpan().ContainsAnyExcept(Token);
}
