using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ServeNet.Api.Errors;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.OpenInference;

/// <summary>
/// The texts of an <see cref="InferenceRequest"/>: its one input, "text", BYTES of shape [n] (or [n, 1]) with n strings,
/// then the same rules and limits as /classify and /ner, token limits included (<see cref="TextBatch.CheckItems"/>,
/// <see cref="TextBatch.CountTokens"/>). Every refusal names the
/// field by its JSON path ("inputs[0].datatype"); under /v2 it is answered as {"error": "field: message"}.
/// </summary>
public static class TextInput
{
    public const string Name = "text";
    public const string Datatype = "BYTES";
    private const string DataField = "inputs[0].data";

    /// <param name="texts">The texts to answer, in order.</param>
    /// <param name="tokens">Tokens of all the texts: the request's cost, held to the same token limits as /classify and /ner.</param>
    public static bool TryRead(InferenceRequest? request, IReadOnlyCollection<string> outputs, LimitsOptions limits,
        [NotNullWhen(true)] out IReadOnlyList<string>? texts, out int tokens, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        texts = null;
        tokens = 0;
        refusal = Check(request, outputs, limits, out var read);
        if (refusal is not null) return false;
        refusal = TextBatch.CountTokens(read!, DataField, single: false, limits, explain: false, out tokens);
        if (refusal is not null) return false;
        texts = read!; // no null items: CheckItems refused them
        return true;
    }

    private static ProblemHttpResult? Check(InferenceRequest? request, IReadOnlyCollection<string> outputs, LimitsOptions limits, out List<string?>? texts)
    {
        texts = null;
        if (request is null) return Problems.InvalidField("body", "An inference request object is required: {\"inputs\": [{\"name\": \"text\", ...}]}.");
        if (request.UnknownFields is { Count: > 0 } unknown)
            return Problems.InvalidField(unknown.Keys.First(), "Unknown field: an inference request has id, parameters, inputs and outputs.");
        if (request.Inputs is not [var input])
            return Problems.InvalidField("inputs", $"Give exactly one input, \"{Name}\" ({Datatype}, shape [n]); found {request.Inputs?.Count ?? 0}.");
        for (int o = 0; o < (request.Outputs?.Count ?? 0); o++)
        {
            var output = request.Outputs![o];
            if (output.UnknownFields is { Count: > 0 } extra)
                return Problems.InvalidField($"outputs[{o}].{extra.Keys.First()}", "Unknown field: a requested output has name and parameters.");
            if (output.Name is null || !outputs.Contains(output.Name))
                return Problems.InvalidField($"outputs[{o}].name", $"No output \"{output.Name}\"; this model's outputs are {string.Join(", ", outputs)}.");
        }

        if (input.UnknownFields is { Count: > 0 } unknownInput)
            return Problems.InvalidField($"inputs[0].{unknownInput.Keys.First()}", "Unknown field: an input has name, shape, datatype, parameters and data.");
        if (input.Name != Name) return Problems.InvalidField("inputs[0].name", $"Expected \"{Name}\"; found {Quoted(input.Name)}.");
        if (input.Datatype != Datatype) return Problems.InvalidField("inputs[0].datatype", $"Expected {Datatype}; found {Quoted(input.Datatype)}.");
        if (input.Shape is not ([_] or [_, 1]) || input.Shape[0] < 0)
            return Problems.InvalidField("inputs[0].shape", $"Expected [n] (or [n, 1]) for n texts; found {Shape(input.Shape)}.");
        if (input.Data.ValueKind != JsonValueKind.Array)
            return Problems.InvalidField(DataField, $"Expected an array of strings; found {Kind(input.Data.ValueKind)}.");

        // Flat or nested in row-major order: [["a"], ["b"]] for shape [2, 1] reads as ["a", "b"].
        texts = [];
        if (Flatten(input.Data, DataField, texts) is { } refused) return refused;
        if (texts.Count != input.Shape[0])
            return Problems.InvalidField(DataField, $"Has {texts.Count} strings; the shape {Shape(input.Shape)} says {input.Shape[0]}.");
        return TextBatch.CheckItems(texts, DataField, limits);
    }

    private static ProblemHttpResult? Flatten(JsonElement array, string field, List<string?> texts)
    {
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string at = $"{field}[{i++}]";
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    try
                    {
                        texts.Add(item.GetString());
                    }
                    catch (InvalidOperationException)
                    {
                        // GetString's documented refusal: a lone surrogate escape such as "\ud800".
                        return Problems.InvalidField(at, "The string is not valid Unicode: it has a lone surrogate escape such as \"\\ud800\".");
                    }
                    break;
                case JsonValueKind.Null: texts.Add(null); break;
                case JsonValueKind.Array:
                    if (Flatten(item, at, texts) is { } refused) return refused;
                    break;
                default: return Problems.InvalidField(at, $"Expected a string (BYTES); found {Kind(item.ValueKind)}.");
            }
        }
        return null;
    }

    /// <summary>The offsets unit from the request's "offsets" parameter (UTF-16 when absent).</summary>
    public static bool TryReadOffsets(InferenceRequest request, out OffsetUnit unit, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        refusal = null;
        unit = OffsetUnit.Utf16;
        if (request.Parameters?.TryGetValue("offsets", out var value) != true) return true;
        if (value.ValueKind == JsonValueKind.String && OffsetUnits.TryParse(value.GetString(), out unit)) return true;
        refusal = Problems.InvalidField("parameters.offsets", OffsetUnits.Describe(value.ToString()));
        return false;
    }

    private static string Quoted(string? value) => value is null ? "none" : $"\"{value}\"";

    private static string Shape(long[]? shape) => shape is null ? "none" : $"[{string.Join(", ", shape)}]";

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
