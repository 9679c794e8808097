using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServeNet.Api.Predictions;
using ServeNet.Api.Security;

namespace ServeNet.Api.Benchmark;

/// <summary>
/// Benchmark aid, not part of the API, mapped only with ServeNet:Benchmark:NoopEndpoint: binds the same
/// body as the prediction endpoints and answers a constant, so a load test measures the HTTP stack's
/// ceiling (routing, JSON, logging, metrics) without a model.
/// </summary>
public static class NoopApi
{
    public sealed record NoopResponse(bool Ok);

    private static readonly NoopResponse Constant = new(true);

    public static RouteHandlerBuilder MapNoopApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/noop", Noop).WithName("Noop").RequireApiKey().ExcludeFromDescription();

    public static Ok<NoopResponse> Noop([FromBody] PredictionRequest? request) => TypedResults.Ok(Constant);
}
