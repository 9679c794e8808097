using Microsoft.AspNetCore.Http.HttpResults;

namespace ServeNet.Api.Errors;

/// <summary>
/// Every problem-details answer of the API, built here and nowhere else, so that one refusal has one
/// shape and one text wherever it is detected: handlers return these results; the body-limit
/// middleware and the exception handler execute them. Answers the framework raises by itself (404,
/// 405, 415 from routing, 500) get their detail from <see cref="DefaultDetail"/>. Errors about a field
/// name it in "errors" by its JSON path without "$." ("text", "texts[1]"; "body" for the body as a whole).
/// </summary>
public static class Problems
{
    public const string UnsupportedMediaTypeDetail = "Send the body as JSON with the header Content-Type: application/json.";

    // 400: the request is readable but a field is wrong.
    public static ProblemHttpResult InvalidField(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        FieldProblem(StatusCodes.Status400BadRequest, "The request has invalid fields.", errors, detail: null);

    // 400: the body does not deserialize; line and byte are zero-based, as System.Text.Json gives them.
    public static ProblemHttpResult InvalidJson(string field, string message, long? line, long? bytePositionInLine) =>
        FieldProblem(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.",
            new Dictionary<string, string[]> { [field] = [message] },
            line is { } l ? $"Error at '{field}' (line {l + 1}, byte {bytePositionInLine + 1})." : $"Error at '{field}'.");

    // 413: over a limit; "errors" names the field, as for a 400.
    public static ProblemHttpResult BodyTooLarge(long limit) =>
        TooLarge("Request body too large", "body", BodyTooLargeDetail(limit));

    public static string BodyTooLargeDetail(long limit) => $"The request body is larger than the limit of {limit:N0} bytes.";

    public static ProblemHttpResult TextTooLong(string field, int length, int limit) =>
        TooLarge("Text too long", field, $"The text has {length:N0} characters (UTF-16 code units); the limit is {limit:N0}.");

    public static ProblemHttpResult TooManyTexts(string field, int count, int limit) =>
        TooLarge("Too many texts", field, $"The batch has {count} texts; the limit is {limit}. Split it into several requests.");

    /// <summary>413: a text, or the request as a whole, over a limit in tokens (as the API's tokenizer splits them).</summary>
    /// <param name="field">"text", "texts[3]", or "texts" for the request as a whole.</param>
    /// <param name="setting">The limit's setting, e.g. "ServeNet:Limits:MaxTokensPerText".</param>
    /// <param name="hint">What to do instead.</param>
    public static ProblemHttpResult TooManyTokens(string field, string what, int limit, string setting, string hint) =>
        TooLarge("Too many tokens", field, $"{what} has more than {limit:N0} tokens, the limit ({setting}). {hint}");

    private static ProblemHttpResult TooLarge(string title, string field, string detail) =>
        FieldProblem(StatusCodes.Status413PayloadTooLarge, title, new Dictionary<string, string[]> { [field] = [detail] }, detail);

    // Every answer about fields, 400 or 413, has this one shape.
    private static ProblemHttpResult FieldProblem(int status, string title, IDictionary<string, string[]> errors, string? detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail });

    // 415 raised while binding (routing's own 415 gets the same detail from DefaultDetail).
    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(UnsupportedMediaTypeDetail, statusCode: StatusCodes.Status415UnsupportedMediaType);

    // Any other request the framework could not bind; its message names what it could not read.
    public static ProblemHttpResult Unreadable(BadHttpRequestException exception) =>
        TypedResults.Problem(exception.Message, statusCode: exception.StatusCode);

    // 401, 403, 404: the admin reload.
    public static ProblemHttpResult AdminKeyRequired(string header) =>
        TypedResults.Problem($"Give the admin key in the {header} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required");

    public static ProblemHttpResult ReloadNotLocal() =>
        TypedResults.Problem("Without ServeNet:Models:AdminKey, reloads are accepted from the local machine only.",
            statusCode: StatusCodes.Status403Forbidden, title: "Reload not allowed from here");

    // 401: a prediction without a valid API key (when keys are configured).
    public static ProblemHttpResult ApiKeyRequired() =>
        TypedResults.Problem("Give a valid API key: the header X-Api-Key: <key>, or Authorization: Bearer <key>.",
            statusCode: StatusCodes.Status401Unauthorized, title: "API key required");

    // 404: a model or version the URL names that is not served (GET /models/{name}, /v2/models/{name}/...).
    public static ProblemHttpResult UnknownModel(string name, IEnumerable<string> names) =>
        TypedResults.Problem($"No model \"{name}\"; the models are {string.Join(", ", names)}.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown model");

    public static ProblemHttpResult UnknownVersion(string name, string version, string serving) =>
        TypedResults.Problem($"Model {name} has no version \"{version}\"; it serves {serving}.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown model version");

    public static ProblemHttpResult UnknownTask(string task, IEnumerable<string> tasks) =>
        TypedResults.Problem($"No model task \"{task}\"; there are {string.Join(", ", tasks)}.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown model task");

    /// <summary>503 while a task has no model (still loading, or its checkpoint is missing or invalid); asks the client to retry.</summary>
    /// <param name="reason">"sentiment.ckpt: file not found".</param>
    public static ProblemHttpResult ModelNotLoaded(string reason, HttpResponse response)
    {
        response.Headers.RetryAfter = "5";
        return TypedResults.Problem($"model not loaded: {reason}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not loaded");
    }

    /// <summary>429: the prediction workers are busy and the queue is full (or this client is over its own share); retry after a pause.</summary>
    /// <param name="retryAfterSeconds">Sent as Retry-After.</param>
    public static ProblemHttpResult Overloaded(string detail, int retryAfterSeconds, HttpResponse response)
    {
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }

    /// <summary>504: the request took longer than the time limit (reading the body, waiting for a worker and computing).</summary>
    public static ProblemHttpResult TimedOut(TimeSpan limit) =>
        TypedResults.Problem(
            $"The request took longer than the limit of {limit.TotalSeconds:0.###} s (ServeNet:Overload:RequestTimeoutSeconds), reading the body, "
            + "waiting for a free worker and computing included. Send fewer or shorter texts, or retry later.",
            statusCode: StatusCodes.Status504GatewayTimeout, title: "Request timed out");

    /// <summary>414: the request target (path and query) is longer than the limit.</summary>
    public static ProblemHttpResult UriTooLong(int length, int limit) =>
        TypedResults.Problem($"The request target (path and query) has {length:N0} characters; the limit is {limit:N0}.",
            statusCode: StatusCodes.Status414UriTooLong, title: "URI too long");

    /// <summary>431: the request headers are larger, or more, than the limits.</summary>
    public static ProblemHttpResult HeadersTooLarge(long bytes, int count, int maxBytes, int maxCount) =>
        TypedResults.Problem($"The request has {count:N0} header lines of {bytes:N0} bytes (names and values); the limits are {maxCount:N0} lines and {maxBytes:N0} bytes.",
            statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge, title: "Request headers too large");

    /// <summary>The detail of a problem the framework raised without one (status-code pages, unhandled exceptions).</summary>
    public static string? DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => $"No endpoint at {request.Method} {request.Path}; see /swagger.",
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly (below Kestrel's minimum data rate).",
        StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed here; see /swagger.",
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaTypeDetail,
        StatusCodes.Status500InternalServerError => "An unexpected error occurred; it has been logged with this trace id.",
        _ => null,
    };
}
