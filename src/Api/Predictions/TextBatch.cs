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

    /// <param name="request">Null when the body is empty or the JSON literal null.</param>
    /// <param name="texts">The texts to answer, in order.</param>
    /// <param name="refusal">400: no body, an unknown field, neither or both of the fields, an empty batch, a null or
    /// blank text. 413: too many texts, or a text too long.</param>
    public static bool TryRead(PredictionRequest? request, LimitsOptions limits,
        [NotNullWhen(true)] out IReadOnlyList<string>? texts, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        refusal = Check(request, limits);
        if (refusal is not null) texts = null;
        else if (request!.Text is { } text) texts = [text];
        else texts = request.Texts!; // no null items: Check refused them
        return refusal is null;
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
