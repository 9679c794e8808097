using Microsoft.AspNetCore.Mvc;
using ServeNet.Api.OpenInference;

namespace ServeNet.Api.Errors;

/// <summary>
/// Under /v2 every problem is answered the Open Inference Protocol's way, {"error": "..."} with the same status:
/// the handlers' refusals (built by <see cref="Problems"/> like everywhere else), binding failures, routing's 404, 405
/// and 415, a missing API key, and the 500 of an unexpected exception. The message is the problem's detail (or its
/// title), and for field errors each field with its message ("inputs[0].datatype: Expected BYTES; found FP32.").
/// Registered before ASP.NET Core's own writer, which writes every other problem as RFC 7807 problem details.
/// </summary>
public sealed class OpenInferenceErrorWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsProtocolPath(context.HttpContext.Request.Path);

    public static bool IsProtocolPath(PathString path) => path.StartsWithSegments("/v2");

    public ValueTask WriteAsync(ProblemDetailsContext context) =>
        new(context.HttpContext.Response.WriteAsJsonAsync(new InferenceError(Message(context.ProblemDetails, context.HttpContext.Request))));

    public static string Message(ProblemDetails problem, HttpRequest request)
    {
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } fields)
            return string.Join(" ", fields.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        return problem.Detail ?? Problems.DefaultDetail(problem.Status, request) ?? problem.Title ?? "The request failed.";
    }
}
