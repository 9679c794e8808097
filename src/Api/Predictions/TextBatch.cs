using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using ServeNet.Api.Errors;
using ServeNet.Core.Text;

namespace ServeNet.Api.Predictions;

/// <summary>
/// The texts of a <see cref="PredictionRequest"/>, checked against its rules and the limits: a 400
/// naming every bad field, or a 413 when the batch, a text or the request's tokens are over a limit.
/// Tokens are counted without allocating and only up to the limit, so a refusal costs no more than
/// the limit allows. The Open Inference Protocol's texts go through the same checks
/// (<see cref="CheckItems"/>, <see cref="CountTokens"/>).
/// </summary>
public static class TextBatch
{
    private const string Blank = "The text is empty or only whitespace.";
    private const string Fields = "\"text\" (one text), \"texts\" (a batch of texts) or \"inputs\" (either, Hugging Face style)";

    /// <param name="request">Null when the body is empty or the JSON literal null.</param>
    /// <param name="explain">The request asks for explanations: its tokens are held to MaxExplainTokensPerRequest.</param>
    /// <param name="texts">The texts to answer, in order.</param>
    /// <param name="tokens">Tokens of all the texts: the request's cost.</param>
    /// <param name="refusal">400: no body, an unknown field or parameter, none or several of the fields, an empty batch, a
    /// null or blank text. 413: too many texts, a text too long, or too many tokens in a text or in the request.</param>
    public static bool TryRead(PredictionRequest? request, LimitsOptions limits, bool explain,
        [NotNullWhen(true)] out IReadOnlyList<string>? texts, out int tokens, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        texts = null;
        tokens = 0;
        refusal = Check(request, limits);
        if (refusal is not null) return false;
        // No null items: Check refused them. "inputs" given as one string reads as a batch of one ("inputs[0]").
        IReadOnlyList<string> read;
        string field;
        if (request!.Text is { } text) (read, field) = ([text], "text");
        else if (request.Texts is { } batch) (read, field) = (batch!, "texts");
        else (read, field) = (request.Inputs!, "inputs");
        refusal = CountTokens(read, field, single: request.Text is not null, limits, explain, out tokens);
        if (refusal is not null) return false;
        texts = read;
        return true;
    }

    /// <summary>
    /// The tokens of every text, each counted only up to what the limits still allow: 413 naming the text
    /// ("<paramref name="field"/>[i]", or <paramref name="field"/> itself for a <paramref name="single"/> text) over
    /// MaxTokensPerText, or <paramref name="field"/> when the request is over MaxTokensPerRequest (with
    /// <paramref name="explain"/>, the lower MaxExplainTokensPerRequest).
    /// </summary>
    public static ProblemHttpResult? CountTokens(IReadOnlyList<string> texts, string field, bool single, LimitsOptions limits, bool explain, out int tokens)
    {
        int requestLimit = explain ? limits.MaxExplainTokensPerRequest : limits.MaxTokensPerRequest;
        tokens = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            int count = PtbPreTokenizer.Count(texts[i], stopAbove: Math.Min(limits.MaxTokensPerText, requestLimit - tokens));
            if (count > limits.MaxTokensPerText)
                return Problems.TooManyTokens(single ? field : $"{field}[{i}]", "The text", limits.MaxTokensPerText,
                    $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerText)}", "Split it into several texts.");
            tokens += count;
            if (tokens > requestLimit)
                return explain
                    ? Problems.TooManyTokens(field, "The request", requestLimit,
                        $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxExplainTokensPerRequest)}",
                        "Explanations cost a pass through the network per token: explain shorter texts, or classify without explain=true.")
                    : Problems.TooManyTokens(field, "The request", requestLimit,
                        $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerRequest)}", "Split the texts into several requests.");
        }
        return null;
    }

    private static ProblemHttpResult? Check(PredictionRequest? request, LimitsOptions limits)
    {
        if (request is null)
            return Problems.InvalidField("body", "A JSON object is required: {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}.");

        // The shape first, every fault at once; a misspelt field is named beside the field it stood for.
        Dictionary<string, string[]>? errors = null; // allocated only for a refusal
        if (request.UnknownFields is { } unknown)
            foreach (string name in unknown.Keys) (errors ??= [])[name] = [$"Unknown field: the fields are {Fields}, and \"parameters\"."];
        if (request.Parameters?.UnknownFields is { } unknownParameters)
            foreach (string name in unknownParameters.Keys) (errors ??= [])[$"parameters.{name}"] = ["Unknown parameter: the only parameter is \"top_k\" (POST /classify)."];
        int given = (request.Text is null ? 0 : 1) + (request.Texts is null ? 0 : 1) + (request.Inputs is null ? 0 : 1);
        if (given == 0) (errors ??= [])["text"] = [$"Give {Fields}."];
        else if (given > 1) (errors ??= [])["text"] = [$"Give one of {Fields}, not several."];
        if (errors is not null) return Problems.Invalid(errors);

        if (request.Text is { } text)
        {
            if (string.IsNullOrWhiteSpace(text)) return Problems.InvalidField("text", Blank);
            return text.Length > limits.MaxTextLength ? Problems.TextTooLong("text", text.Length, limits.MaxTextLength) : null;
        }
        return request.Texts is { } texts ? CheckItems(texts, "texts", limits) : CheckItems(request.Inputs!, "inputs", limits);
    }

    /// <summary>
    /// The rules of a batch wherever it comes from (here, or an Open Inference Protocol tensor): not empty, not over the
    /// limit (checked before the items, so that a huge batch is refused without a message per item), no null or blank
    /// text, none too long. Items are named "<paramref name="field"/>[i]".
    /// </summary>
    public static ProblemHttpResult? CheckItems(IReadOnlyList<string?> texts, string field, LimitsOptions limits)
    {
        if (texts.Count == 0) return Problems.InvalidField(field, "The batch is empty: give at least one text.");
        if (texts.Count > limits.MaxBatchSize) return Problems.TooManyTexts(field, texts.Count, limits.MaxBatchSize);
        Dictionary<string, string[]>? errors = null;
        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null) (errors ??= [])[$"{field}[{i}]"] = ["A text is required here, not null."];
            else if (string.IsNullOrWhiteSpace(texts[i])) (errors ??= [])[$"{field}[{i}]"] = [Blank];
        }
        if (errors is not null) return Problems.Invalid(errors);
        for (int i = 0; i < texts.Count; i++)
            if (texts[i]!.Length > limits.MaxTextLength) return Problems.TextTooLong($"{field}[{i}]", texts[i]!.Length, limits.MaxTextLength);
        return null;
    }
}
