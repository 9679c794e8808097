using Microsoft.AspNetCore.Http.HttpResults;

namespace ServeNet.Api.Infrastructure;

/// <summary>
/// The texts of a prediction request ("text" or "texts"), checked against the limits: a 400
/// naming each bad field, or a 413 when the batch or a text is over its limit.
/// </summary>
public readonly struct TextBatch
{
    private TextBatch(IReadOnlyList<string>? texts, ValidationProblem? invalid, ProblemHttpResult? tooLarge)
    {
        Texts = texts;
        Invalid = invalid;
        TooLarge = tooLarge;
    }

    /// <summary>The texts to answer, in order; null when the request was refused.</summary>
    public IReadOnlyList<string>? Texts { get; }

    /// <summary>400: a field is missing, empty or whitespace-only.</summary>
    public ValidationProblem? Invalid { get; }

    /// <summary>413: too many texts, or a text too long.</summary>
    public ProblemHttpResult? TooLarge { get; }

    public static TextBatch Read(string? text, IReadOnlyList<string?>? texts, bool hasBody, LimitsOptions limits)
    {
        if (!hasBody)
            return Refuse("body", "A JSON object is required: {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}.");
        if (text is null && texts is null)
            return Refuse("text", "Give \"text\" (one text) or \"texts\" (a batch of texts).");
        if (text is not null && texts is not null)
            return Refuse("text", "Give either \"text\" or \"texts\", not both.");

        if (text is not null)
        {
            if (string.IsNullOrWhiteSpace(text)) return Refuse("text", "The text is empty or only whitespace.");
            if (text.Length > limits.MaxTextLength) return TextTooLong("text", text.Length, limits);
            return new TextBatch([text], null, null);
        }

        if (texts!.Count == 0) return Refuse("texts", "The batch is empty: give at least one text.");
        if (texts.Count > limits.MaxBatchSize)
            return new TextBatch(null, null, TooLargeProblem("Too many texts", "texts",
                $"The batch has {texts.Count} texts; the limit is {limits.MaxBatchSize}. Split it into several requests."));
        Dictionary<string, string[]>? errors = null;
        for (int i = 0; i < texts.Count; i++)
        {
            string? item = texts[i];
            if (item is null) (errors ??= [])[$"texts[{i}]"] = ["A text is required here, not null."];
            else if (string.IsNullOrWhiteSpace(item)) (errors ??= [])[$"texts[{i}]"] = ["The text is empty or only whitespace."];
            else if (item.Length > limits.MaxTextLength) return TextTooLong($"texts[{i}]", item.Length, limits);
        }
        if (errors is not null) return new TextBatch(null, TypedResults.ValidationProblem(errors, title: "The request has invalid fields."), null);
        return new TextBatch(texts!, null, null);
    }

    private static TextBatch Refuse(string field, string message) =>
        new(null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request has invalid fields."), null);

    private static TextBatch TextTooLong(string field, int length, LimitsOptions limits) =>
        new(null, null, TooLargeProblem("Text too long", field,
            $"The text has {length:N0} characters (UTF-16 code units); the limit is {limits.MaxTextLength:N0}."));

    /// <summary>A 413 problem whose "errors" names the field, as a validation problem would.</summary>
    public static ProblemHttpResult TooLargeProblem(string title, string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
