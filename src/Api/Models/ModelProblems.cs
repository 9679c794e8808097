using Microsoft.AspNetCore.Http.HttpResults;

namespace ServeNet.Api.Models;

public static class ModelProblems
{
    /// <summary>503 while a slot has no model: still loading, or its checkpoint is missing or invalid.</summary>
    public static ProblemHttpResult NotLoaded(ModelSlot slot, HttpResponse response)
    {
        response.Headers.RetryAfter = "5";
        return TypedResults.Problem($"model not loaded: {slot.NotLoadedReason}",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not loaded");
    }
}
