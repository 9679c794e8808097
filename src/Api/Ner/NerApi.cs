using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;
using ServeNet.Api.Models;
using ServeNet.Api.Observability;
using ServeNet.Api.OpenApi;
using ServeNet.Api.Overload;
using ServeNet.Api.Predictions;
using ServeNet.Api.Security;
using ServeNet.Core.Ner;

namespace ServeNet.Api.Ner;

public static class NerApi
{
    public static RouteGroupBuilder MapNerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags(ApiTags.Entities).RequireApiKey();

        api.MapPost("/ner", Tag)
            .WithName("RecognizeEntities")
            .WithSummary("Find the named entities (PER, LOC, ORG, MISC) in one text or a batch of texts")
            .WithDescription("Answers, per text, every token with its BIO tag and the tag's probability, and the entities they "
                + "form. Offsets are in UTF-16 code units of the submitted string by default, so text.Substring(start, end - start) "
                + "(JavaScript: text.slice(start, end)) gives the token or entity back; ?offsets=codepoints gives Python's "
                + "text[start:end], ?offsets=utf8 byte offsets (Rust, Go). Decoding only yields valid BIO sequences. "
                + "Hugging Face style {\"inputs\": ...} works too.")
            .WithPredictionProblems()
            .WithRequestExamples(
                ("single", "One text", """{"text": "Angela Merkel visited Paris"}"""),
                ("batch", "A batch of texts", """{"texts": ["Angela Merkel visited Paris", "Microsoft opened an office in Berlin"]}"""),
                ("huggingface", "Hugging Face style", """{"inputs": "Angela Merkel visited Paris"}"""))
            .WithResponseExamples("ner-single", "ner-batch", "ner-codepoints");

        return api;
    }

    /// <param name="request">The text or texts.</param>
    /// <param name="offsets">Unit of the offsets: utf16 (C#, JavaScript), codepoints (Python) or utf8 (Rust, Go).</param>
    public static async Task<Results<Ok<NerResponse>, ProblemHttpResult>> Tag(
        [FromBody] PredictionRequest? request, ModelRegistry models, IOptions<LimitsOptions> limits, ApiMetrics metrics,
        PredictionLog log, HttpContext context, PredictionGate gate, CancellationToken cancellationToken,
        [QueryChoice("utf16", "codepoints", "utf8")] string? offsets = null)
    {
        var response = context.Response;
        PredictionHeaders.Apply(response);
        if (!OffsetUnits.TryParse(offsets, out var unit)) return Problems.InvalidField("offsets", OffsetUnits.Describe(offsets!));
        if (!TextBatch.TryRead(request, limits.Value, explain: false, out var texts, out int tokens, out var refusal)) return refusal;
        if (request!.Parameters?.TopK is not null) return Problems.InvalidField("parameters.top_k", "top_k applies to POST /classify only.");

        // One read of the slot: every text of this request is answered by the same model, even during a swap.
        var served = models.Ner.Current;
        if (served is null) return Problems.ModelNotLoaded(models.Ner.NotLoadedReason, response);

        using var admission = await gate.AdmitAsync(context, tokens, cancellationToken);
        if (admission.Refusal is { } busy) return busy;
        long started = Stopwatch.GetTimestamp();
        var tagged = served.Model.Tag(texts, cancellationToken);
        var results = new NerResult[tagged.Length];
        for (int i = 0; i < tagged.Length; i++) results[i] = ToResult(texts[i], tagged[i], unit);
        metrics.Tagged(texts.Count, Stopwatch.GetElapsedTime(started));

        log.Answered(response, served.Info.Version, texts);
        return TypedResults.Ok(new NerResponse(served.Info.Name, served.Info.Version, results));
    }

    /// <summary>The tokens and entities of one text, with offsets in <paramref name="unit"/>.</summary>
    public static NerResult ToResult(string text, TaggingResult result, OffsetUnit unit)
    {
        var offsets = new Offsets(text, unit);
        var tokens = new NerToken[result.Tokens.Count];
        for (int t = 0; t < tokens.Length; t++)
        {
            var (token, tag, probability) = result.Tokens[t];
            tokens[t] = new NerToken(text.Substring(token.Start, token.Length), offsets[token.Start], offsets[token.End], tag, probability);
        }
        var entities = new NerEntity[result.Entities.Count];
        for (int e = 0; e < entities.Length; e++)
        {
            var entity = result.Entities[e];
            entities[e] = new NerEntity(entity.Text, entity.Type, offsets[entity.Start], offsets[entity.End], entity.Score);
        }
        return new NerResult(tokens, entities);
    }
}
