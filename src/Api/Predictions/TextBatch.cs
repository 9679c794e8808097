using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Predictions;

/// <summary>
/// The texts of a <see cref="PredictionRequest"/>, checked against its rules and the limits: a 400
/// naming every bad field, or a 413 when the batch or a text is over its limit.
/// </summary>
public static class TextBatch
{
    private const string Blank = "The text is empty or only whitespace.";
    private const string Fields = "\"text\" (one text), \"texts\" (a batch of texts) or \"inputs\" (either, Hugging Face style)";

    /// <param name="request">Null when the body is empty or the JSON literal null.</param>
    /// <param name="texts">The texts to answer, in order.</param>
    /// <param name="refusal">400: no body, an unknown field or parameter, none or several of the fields, an empty batch, a
    /// null or blank text. 413: too many texts, or a text too long.</param>
    public static bool TryRead(PredictionRequest? request, LimitsOptions limits,
        [NotNullWhen(true)] out IReadOnlyList<string>? texts, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        refusal = Check(request, limits);
        if (refusal is not null) texts = null;
        else if (request!.Text is { } text) texts = [text];
        else texts = (request.Texts ?? request.Inputs)!; // no null items: Check refused them
        return refusal is null;
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
        // "inputs" given as one string reads as a batch of one ("inputs[0]").
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
