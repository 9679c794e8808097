using Microsoft.AspNetCore.Http.HttpResults;

namespace ServeNet.Bench.MlNetServe;

public static class ClassifyApi
{
    /// <summary>Texts per request, as ServeNet's default limit.</summary>
    public const int MaxBatchSize = 256;

    public static IEndpointRouteBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/classify", Classify).WithName("Classify");
        app.MapGet("/health/ready", (SentimentModel model) => TypedResults.Ok(new { status = "ready", model = model.Version }));
        return app;
    }

    public static Results<Ok<ClassifyResponse>, ValidationProblem, ProblemHttpResult> Classify(PredictionRequest? request, SentimentModel model,
        HttpResponse response)
    {
        IReadOnlyList<string?>? texts = request?.Text is { } text ? [text] : request?.Texts;
        if (request is null || (request.Text is null) == (request.Texts is null) || texts is null || texts.Count == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["Give either \"text\" (one text) or \"texts\" (a non-empty batch)."] });
        if (texts.Count > MaxBatchSize)
            return TypedResults.Problem($"Too many texts: {texts.Count} (at most {MaxBatchSize}).", statusCode: StatusCodes.Status413PayloadTooLarge);

        var results = new ClassifyResult[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [request.Text is null ? $"texts[{i}]" : "text"] = ["A non-blank text is required."] });
            var prediction = model.Engines.Predict(new SentimentInput { Text = texts[i]! });
            float positive = prediction.Probability;
            var probabilities = new Dictionary<string, float>(2) { [SentimentModel.Labels[0]] = 1 - positive, [SentimentModel.Labels[1]] = positive };
            results[i] = prediction.Positive
                ? new ClassifyResult(SentimentModel.Labels[1], positive, probabilities)
                : new ClassifyResult(SentimentModel.Labels[0], 1 - positive, probabilities);
        }
        response.Headers["X-Model-Version"] = model.Version;
        return TypedResults.Ok(new ClassifyResponse(model.Name, model.Version, results));
    }
}
