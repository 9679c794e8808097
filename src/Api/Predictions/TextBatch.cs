using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using ServeNet.Api.Errors;
using ServeNet.Core.Text;

namespace ServeNet.Api.Predictions;

/// <summary>
/// The texts of a <see cref="PredictionRequest"/>, checked against its rules and the limits: a 400
/// naming every bad field, or a 413 when the batch, a text or the request's tokens are over a limit.
/// Tokens are counted without allocating and only up to the limit, so a refusal costs no more than
/// the limit allows.
/// </summary>
public static class TextBatch
{
    private const string Blank = "The text is empty or only whitespace.";

    /// <param name="request">Null when the body is empty or the JSON literal null.</param>
    /// <param name="explain">The request asks for explanations: its tokens are held to MaxExplainTokensPerRequest.</param>
    /// <param name="texts">The texts to answer, in order.</param>
    /// <param name="tokens">Tokens of all the texts: the request's cost.</param>
    /// <param name="refusal">400: no body, an unknown field, neither or both of the fields, an empty batch, a null or
    /// blank text. 413: too many texts, a text too long, or too many tokens in a text or in the request.</param>
    public static bool TryRead(PredictionRequest? request, LimitsOptions limits, bool explain,
        [NotNullWhen(true)] out IReadOnlyList<string>? texts, out int tokens, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        tokens = 0;
        refusal = Check(request, limits);
        if (refusal is not null) texts = null;
        else if (request!.Text is { } text) texts = [text];
        else texts = request.Texts!; // no null items: Check refused them
        if (texts is not null) refusal = CountTokens(texts, request!.Text is not null, limits, explain, out tokens);
        if (refusal is not null) texts = null;
        return refusal is null;
    }

    // The tokens of every text, each counted only up to what the limits still allow.
    private static ProblemHttpResult? CountTokens(IReadOnlyList<string> texts, bool single, LimitsOptions limits, bool explain, out int tokens)
    {
        int requestLimit = explain ? limits.MaxExplainTokensPerRequest : limits.MaxTokensPerRequest;
        tokens = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            string field = single ? "text" : $"texts[{i}]";
            int count = PtbPreTokenizer.Count(texts[i], stopAbove: Math.Min(limits.MaxTokensPerText, requestLimit - tokens));
            if (count > limits.MaxTokensPerText)
                return Problems.TooManyTokens(field, "The text", limits.MaxTokensPerText, $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerText)}",
                    "Split it into several texts.");
            tokens += count;
            if (tokens > requestLimit)
                return explain
                    ? Problems.TooManyTokens(single ? "text" : "texts", "The request", requestLimit,
                        $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxExplainTokensPerRequest)}",
                        "Explanations cost a pass through the network per token: explain shorter texts, or classify without explain=true.")
                    : Problems.TooManyTokens(single ? "text" : "texts", "The request", requestLimit,
                        $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerRequest)}", "Split the texts into several requests.");
        }
        return null;
    }

    private static ProblemHttpResult? Check(PredictionRequest? request, LimitsOptions limits)
    {
        if (request is null)
            return Problems.InvalidField("body", "A JSON object is required: {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}.");

        // The shape first, every fault at once; a misspelt field is named beside the field it stood for.
        var (text, texts) = (request.Text, request.Texts);
        Dictionary<string, string[]>? errors = null; // allocated only for a refusal
        if (request.UnknownFields is { } unknown)
            foreach (string name in unknown.Keys) (errors ??= [])[name] = ["Unknown field: the fields are \"text\" (one text) and \"texts\" (a batch of texts)."];
        if (text is null && texts is null) (errors ??= [])["text"] = ["Give \"text\" (one text) or \"texts\" (a batch of texts)."];
        else if (text is not null && texts is not null) (errors ??= [])["text"] = ["Give either \"text\" or \"texts\", not both."];
        else if (texts is { Count: 0 }) (errors ??= [])["texts"] = ["The batch is empty: give at least one text."];
        if (errors is not null) return Problems.Invalid(errors);

        if (text is not null)
        {
            if (string.IsNullOrWhiteSpace(text)) return Problems.InvalidField("text", Blank);
            return text.Length > limits.MaxTextLength ? Problems.TextTooLong("text", text.Length, limits.MaxTextLength) : null;
        }

        // The count before the items, so that a huge batch is refused without a message per item.
        if (texts!.Count > limits.MaxBatchSize) return Problems.TooManyTexts(texts.Count, limits.MaxBatchSize);
        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null) (errors ??= [])[$"texts[{i}]"] = ["A text is required here, not null."];
            else if (string.IsNullOrWhiteSpace(texts[i])) (errors ??= [])[$"texts[{i}]"] = [Blank];
        }
        if (errors is not null) return Problems.Invalid(errors);
        for (int i = 0; i < texts.Count; i++)
            if (texts[i]!.Length > limits.MaxTextLength) return Problems.TextTooLong($"texts[{i}]", texts[i]!.Length, limits.MaxTextLength);
        return null;
    }
}
