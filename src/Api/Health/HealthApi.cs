using Microsoft.AspNetCore.Http.HttpResults;
using ServeNet.Api.Models;
using ServeNet.Api.OpenApi;

namespace ServeNet.Api.Health;

public static class HealthApi
{
    private static readonly HealthResponse Live = new("live", null);
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/health").WithTags(ApiTags.Health);

        // GET and HEAD: probes and load balancers often ask with HEAD (same status and headers, no body).
        api.MapMethods("/live", GetAndHead, GetLive)
            .WithName("Live")
            .WithSummary("Liveness: the process is up and answering")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithResponseExamples("health-live");

        api.MapMethods("/ready", GetAndHead, GetReady)
            .WithName("Ready")
            .WithSummary("Readiness: every model loaded and answered a warm-up request")
            .WithDescription("200 when every model serves; 503 (same body) while a model is loading or when its checkpoint is "
                + "missing or invalid. A model that fails to reload keeps serving its previous version and stays ready.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithResponseExamples("health-ready");

        return api;
    }

    public static Ok<HealthResponse> GetLive() => TypedResults.Ok(Live);

    public static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> GetReady(ModelRegistry models)
    {
        var states = models.All
            .Select(s => s.Serving is { } serving
                ? new ModelHealth(s.Name, true, serving.Info.Version, null)
                : new ModelHealth(s.Name, false, null, s.NotLoadedReason))
            .ToArray();
        return models.IsReady
            ? TypedResults.Ok(new HealthResponse("ready", states))
            : TypedResults.Json(new HealthResponse("not-ready", states), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
