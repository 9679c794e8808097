namespace ServeNet.Api.OpenApi;

public static class ProblemResponses
{
    /// <summary>
    /// The problem responses a prediction endpoint can give besides its 200: 400 a field is invalid (naming
    /// it), 413 over a limit, 415 not JSON, 500 unexpected, 503 model not loaded.
    /// </summary>
    public static RouteHandlerBuilder WithPredictionProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status500InternalServerError)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
