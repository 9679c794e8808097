namespace ServeNet.Api.OpenApi;

public static class ProblemResponses
{
    /// <summary>
    /// The problem responses a prediction endpoint can give besides its 200 (which carries X-Model-Version): 400 a
    /// field is invalid (naming it), 401 no valid API key (when keys are configured), 413 over a limit (naming it),
    /// 415 not JSON, 429 too busy (with Retry-After), 500 unexpected, 503 model not loaded, 504 over the time limit.
    /// </summary>
    public static RouteHandlerBuilder WithPredictionProblems(this RouteHandlerBuilder builder) => builder
        .WithMetadata(ModelVersionHeader.Instance)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status500InternalServerError)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status504GatewayTimeout);
}
