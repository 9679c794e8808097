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
using ServeNet.Api.Security;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;

namespace ServeNet.Api.Classification;

public static class ClassifyApi
{
    public static RouteGroupBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags(ApiTags.Sentiment).RequireApiKey();

        api.MapPost("/classify", Classify)
            .WithName("Classify")
            .WithSummary("Classify the sentiment of one text or a batch of texts")
            .WithDescription("Answers, per text, the predicted label and the probability of every label, with the name and version "
                + "of the model (also in the X-Model-Version header). With ?explain=true each result also lists every token's "
                + "contribution to the decision, with its offsets in the submitted text (UTF-16 code units unless ?offsets= says "
                + "otherwise). Hugging Face style requests work too: {\"inputs\": \"...\"} or a list, with \"parameters\": {\"top_k\": k}.")
            .WithPredictionProblems()
            .WithRequestExamples(
                ("single", "One text", """{"text": "a wonderful, moving film"}"""),
                ("batch", "A batch of texts", """{"texts": ["a wonderful, moving film", "a dull, tedious mess"]}"""),
                ("huggingface", "Hugging Face style, with the two most probable labels", """{"inputs": ["a wonderful, moving film"], "parameters": {"top_k": 2}}"""))
            .WithResponseExamples("classify-single", "classify-batch", "classify-explain", "classify-huggingface");

        return api;
    }

    /// <param name="request">The text or texts.</param>
    /// <param name="explain">Add each token's contribution to the decision: true, false, 1 or 0.</param>
    /// <param name="offsets">Unit of the explanation's offsets: utf16 (C#, JavaScript), codepoints (Python) or utf8 (Rust, Go).</param>
    public static async Task<Results<Ok<ClassifyResponse>, ProblemHttpResult>> Classify(
        [FromBody] PredictionRequest? request, ModelRegistry models, IOptions<LimitsOptions> limits, ApiMetrics metrics,
        PredictionLog log, HttpContext context, IOptions<InferenceOptions> inference, ClassifyBatcher batcher, PredictionGate gate,
        CancellationToken cancellationToken, [QueryFlag] string? explain = null, [QueryChoice("utf16", "codepoints", "utf8")] string? offsets = null)
    {
        var response = context.Response;
        PredictionHeaders.Apply(response);
        // Read as text and parsed here, so that a bad value is answered like any other bad field.
        if (!QueryFlags.TryParse(explain, out bool explaining)) return Problems.InvalidField("explain", QueryFlags.Describe(explain!));
        if (!OffsetUnits.TryParse(offsets, out var unit)) return Problems.InvalidField("offsets", OffsetUnits.Describe(offsets!));
        if (!TextBatch.TryRead(request, limits.Value, explaining, out var texts, out int tokens, out var refusal)) return refusal;
        int? topK = request!.Parameters?.TopK;

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
                results[i] = ToResult(result, model.Labels, topK, Explanation(texts[i], contributions, unit));
            }
        }
        else if (inference.Value.MicroBatching && texts.Count == 1)
        {
            results[0] = ToResult(await batcher.ClassifyAsync(model, texts[0]), model.Labels, topK, null);
        }
        else
        {
            var classified = model.Classify(texts, cancellationToken);
            for (int i = 0; i < classified.Length; i++) results[i] = ToResult(classified[i], model.Labels, topK, null);
        }
        metrics.Classified(texts.Count, Stopwatch.GetElapsedTime(started));

        log.Answered(response, served.Info.Version, texts);
        return TypedResults.Ok(new ClassifyResponse(served.Info.Name, served.Info.Version, results));
    }

    /// <summary>The answer for one text: label, score, every probability, and with <paramref name="topK"/> the k most probable labels.</summary>
    public static ClassifyResult ToResult(ClassificationResult result, IReadOnlyList<string> labels, int? topK, TokenContributionDto[]? explanation)
    {
        return new ClassifyResult(result.Label, result.Probabilities[result.LabelIndex], new LabelProbabilities(labels, result.Probabilities),
            explanation, topK is { } count ? Top(result.Probabilities, labels, count) : null);
    }

    // Most probable first; ties keep the model's label order (an insertion sort, stable; a model has a handful of labels).
    private static LabelScore[] Top(float[] probabilities, IReadOnlyList<string> labels, int k)
    {
        var order = new int[labels.Count];
        for (int i = 0; i < order.Length; i++)
        {
            int j = i;
            for (; j > 0 && probabilities[order[j - 1]] < probabilities[i]; j--) order[j] = order[j - 1];
            order[j] = i;
        }
        var top = new LabelScore[Math.Min(k, order.Length)];
        for (int i = 0; i < top.Length; i++) top[i] = new LabelScore(labels[order[i]], probabilities[order[i]]);
        return top;
    }

    private static TokenContributionDto[] Explanation(string text, TokenContribution[] contributions, OffsetUnit unit)
    {
        var offsets = new Offsets(text, unit);
        var dtos = new TokenContributionDto[contributions.Length];
        for (int i = 0; i < contributions.Length; i++)
        {
            var token = contributions[i].Token;
            dtos[i] = new TokenContributionDto(text.Substring(token.Start, token.Length), offsets[token.Start], offsets[token.End], contributions[i].Contribution);
        }
        return dtos;
    }
}
