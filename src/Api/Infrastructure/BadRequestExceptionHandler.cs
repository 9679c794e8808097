using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ServeNet.Api.Infrastructure;

/// <summary>
/// Turns the request errors minimal APIs throw (RouteHandlerOptions.ThrowOnBadRequest) into problem
/// details that name the field: invalid JSON or a wrong type at $.texts[1] becomes a 400 with
/// errors["texts[1]"]; a body over the limit a 413; a body that is not JSON a 415. Any other
/// exception is left to the default handler: 500 problem details with a trace id, logged once.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, IOptions<LimitsOptions> limits) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The exception handler cleared the endpoint; put it back so request metrics count the error under its route.
        if (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint is { } endpoint) context.SetEndpoint(endpoint);
        var problem = exception switch
        {
            RequestBodyTooLargeException e => TooLarge(e.Limit),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(limits.Value.MaxRequestBodyBytes),
            BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type",
                Detail = "Send the body as JSON with the header Content-Type: application/json.",
            },
            BadHttpRequestException e => BadParameter(e),
            _ => null,
        };
        if (problem is null || context.Response.HasStarted) return false;
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static ValidationProblemDetails TooLarge(long limit) => new(new Dictionary<string, string[]> { ["body"] = [$"The limit is {limit:N0} bytes."] })
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Detail = $"The request body is larger than the limit of {limit:N0} bytes.",
    };

    private static ValidationProblemDetails InvalidJson(JsonException json)
    {
        string field = Field(json.Path);
        string where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        // An unreadable string (a lone surrogate escape such as "\ud800") is best explained by the reader's own message.
        string message = json.InnerException is InvalidOperationException inner
            && (inner.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase) || inner.Message.Contains("UTF", StringComparison.Ordinal))
            ? inner.Message : Explain(json.Message);
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this endpoint.",
            Detail = $"Error at '{field}'{where}.",
        };
    }

    private static ValidationProblemDetails BadParameter(BadHttpRequestException e)
    {
        var match = ParameterName().Match(e.Message);
        string field = match.Success ? match.Groups[1].Value : "request";
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [e.Message] })
        {
            Status = e.StatusCode,
            Title = "The request has invalid fields.",
        };
    }

    /// <summary>"$.texts[1]" → "texts[1]"; the root ("$") is the body itself.</summary>
    public static string Field(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // System.Text.Json's message without its position suffix and with .NET type names in JSON terms.
    private static string Explain(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        var conversion = ConversionFailure().Match(message);
        if (!conversion.Success) return message;
        string type = conversion.Groups[1].Value;
        string expected = type switch
        {
            "System.String" => "a string",
            _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array of strings",
            _ when type.EndsWith("Request", StringComparison.Ordinal) => "a JSON object",
            _ => "a value of another type",
        };
        return $"The value has the wrong type: expected {expected}.";
    }

    [GeneratedRegex("could not be converted to ([^ ]+?)\\.?$")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("parameter \"(?:[^\"]* )?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();
}
