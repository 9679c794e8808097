using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using ServeNet.Api.Hosting;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Errors;

/// <summary>
/// Answers the requests the framework could not read, by the type of what it raised (never by its
/// message): a body over the limit is a 413; a body that is not JSON a 415; a body that does not
/// deserialize a 400 naming the field by the exception's JSON path. Any other exception is left to
/// the default handler: 500 problem details with a trace id, logged once. A client that is gone
/// (<see cref="ClientGone"/>) gets 499 and nothing written, without an error log.
/// </summary>
public sealed class RequestExceptionHandler(IOptions<LimitsOptions> limits) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The exception handler cleared the endpoint; put it back so request metrics count the error under its route.
        if (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint is { } endpoint) context.SetEndpoint(endpoint);
        if (ClientGone.Is(context, exception))
        {
            // Handled, so not logged as an error: the request line (499) and, at shutdown, ShutdownDrain's line say what happened.
            if (!context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }
        IResult? problem = exception switch
        {
            RequestBodyTooLargeException e => Problems.BodyTooLarge(e.Limit),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.BodyTooLarge(limits.Value.MaxRequestBodyBytes),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => Problems.UnsupportedMediaType(),
            BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
            BadHttpRequestException e => Problems.Unreadable(e),
            _ => null,
        };
        if (problem is null || context.Response.HasStarted) return false;
        await problem.ExecuteAsync(context);
        return true;
    }

    private static IResult InvalidJson(JsonException json)
    {
        string field = Field(json.Path);
        var (at, message) = json switch
        {
            // A request converter refused the value and said why.
            JsonFieldException refused => (field + refused.Within, refused.Reason),
            // The reader itself failed: the text is not JSON (System.Text.Json wraps its reader's exception, a JsonException).
            { InnerException: JsonException } => (field, "The body is not valid JSON here."),
            // What strict reading refuses beyond the converters: a body that is not an object, a property given twice.
            _ => (field, "This does not fit the request: the body must be one JSON object, each property given once (see /swagger)."),
        };
        return Problems.InvalidJson(at, message, json.LineNumber, json.BytePositionInLine);
    }

    /// <summary>"$.texts" → "texts"; the root ("$") is the body itself.</summary>
    public static string Field(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
