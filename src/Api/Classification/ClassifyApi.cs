using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;
using ServeNet.Api.Inference;
using ServeNet.Api.Models;
using ServeNet.Api.Observability;
using ServeNet.Api.OpenApi;
using ServeNet.Api.Overload;
using ServeNet.Api.Predictions;
using ServeNet.Core.Models;

namespace ServeNet.Api.Classification;

public static class ClassifyApi
{
    public static RouteGroupBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Sentiment");

        api.MapPost("/classify", Classify)
            .WithName("Classify")
            .WithSummary("Classify the sentiment of one text or a batch of texts")
            .WithDescription("Answers, per text, the predicted label and the probability of every label, with the name and version "
                + "of the model (also in the X-Model-Version header). With ?explain=true each result also lists every token's "
                + "contribution to the decision, with its offsets in UTF-16 code units of the submitted text.")
            .WithPredictionProblems()
            .WithRequestExamples(
                ("single", "One text", """{"text": "a wonderful, moving film"}"""),
                ("batch", "A batch of texts", """{"texts": ["a wonderful, moving film", "a dull, tedious mess"]}"""));

        return api;
    }

    /// <param name="request">The text or texts.</param>
    /// <param name="explain">Add each token's contribution to the decision.</param>
    public static async Task<Results<Ok<ClassifyResponse>, ProblemHttpResult>> Classify(
        [FromBody] PredictionRequest? request, ModelRegistry models, IOptions<LimitsOptions> limits, ApiMetrics metrics,
        PredictionLog log, HttpContext context, IOptions<InferenceOptions> inference, ClassifyBatcher batcher, PredictionGate gate,
        CancellationToken cancellationToken, [QueryFlag] string? explain = null)
    {
        var response = context.Response;
        PredictionHeaders.Apply(response);
        // Read as text and parsed here, so that a bad value is answered like any other bad field.
        bool explaining = false;
        if (!string.IsNullOrEmpty(explain) && !bool.TryParse(explain, out explaining))
            return Problems.InvalidField("explain", $"Expected true or false; found \"{explain}\".");
        if (!TextBatch.TryRead(request, limits.Value, explaining, out var texts, out int tokens, out var refusal)) return refusal;

        // One read of the slot: every text of this request is answered by the same model, even during a swap.
        var served = models.Sentiment.Current;
        if (served is null) return Problems.ModelNotLoaded(models.Sentiment.NotLoadedReason, response);
        var model = served.Model;

        using var admission = await gate.AdmitAsync(context, tokens, cancellationToken);
        if (admission.Refusal is { } busy) return busy;
        long started = Stopwatch.GetTimestamp();
        var results = new ClassifyResult[texts.Count];
        if (explaining)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                var (result, contributions) = model.Explain(texts[i], cancellationToken);
                results[i] = ToResult(result, model.Labels, Explanation(texts[i], contributions));
            }
        }
        else if (inference.Value.MicroBatching && texts.Count == 1)
        {
            results[0] = ToResult(await batcher.ClassifyAsync(model, texts[0]), model.Labels, null);
        }
        else
        {
            var classified = model.Classify(texts, cancellationToken);
            for (int i = 0; i < classified.Length; i++) results[i] = ToResult(classified[i], model.Labels, null);
        }
        metrics.Classified(texts.Count, Stopwatch.GetElapsedTime(started));

        log.Answered(response, served.Info.Version, texts);
        return TypedResults.Ok(new ClassifyResponse(served.Info.Name, served.Info.Version, results));
    }

    private static ClassifyResult ToResult(ClassificationResult result, IReadOnlyList<string> labels, TokenContributionDto[]? explanation)
    {
        var probabilities = new Dictionary<string, float>(labels.Count, StringComparer.Ordinal);
        for (int k = 0; k < labels.Count; k++) probabilities[labels[k]] = result.Probabilities[k];
        return new ClassifyResult(result.Label, result.Probabilities[result.LabelIndex], probabilities, explanation);
    }

    private static TokenContributionDto[] Explanation(string text, TokenContribution[] contributions)
    {
        var dtos = new TokenContributionDto[contributions.Length];
        for (int i = 0; i < contributions.Length; i++)
        {
            var token = contributions[i].Token;
            dtos[i] = new TokenContributionDto(text.Substring(token.Start, token.Length), token.Start, token.End, contributions[i].Contribution);
        }
        return dtos;
    }
}
