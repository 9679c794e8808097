using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServeNet.Api.Predictions;

/// <summary>
/// One text or a batch of texts to predict on (/classify and /ner): give exactly one of "text", "texts" or
/// "inputs" (the Hugging Face spelling of either).
/// </summary>
/// <param name="Text">A single text (by default 1 to 100,000 characters and at most 5,000 tokens, not only whitespace).</param>
/// <param name="Texts">A batch of texts (1 to 256 by default, at most 20,000 tokens together), each like <c>text</c>; answered in the same order.</param>
/// <param name="Inputs">Hugging Face style: one text (a string) or a batch (an array of strings); the same as <c>text</c> or <c>texts</c>, with the same limits.</param>
/// <param name="Parameters">Hugging Face style options: <c>top_k</c> (POST /classify only).</param>
public sealed record PredictionRequest(
    [property: JsonConverter(typeof(TextConverter))] string? Text,
    [property: JsonConverter(typeof(TextListConverter))] IReadOnlyList<string?>? Texts,
    [property: JsonConverter(typeof(InputsConverter))] IReadOnlyList<string?>? Inputs = null,
    PredictionParameters? Parameters = null)
{
    /// <summary>
    /// Properties the request does not have (a typo such as "txt"), kept so that <see cref="TextBatch"/>
    /// refuses each by name, beside the field it probably meant, rather than ignoring it.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>Options of a prediction in the Hugging Face spelling (<c>"parameters": {"top_k": 2}</c>).</summary>
/// <param name="TopK">POST /classify: add <c>top</c> to each result, the k most probable labels with their scores, most probable first (a Hugging Face text-classification pipeline's output). At least 1; more than the model's labels gives them all.</param>
public sealed record PredictionParameters(
    [property: JsonPropertyName("top_k"), JsonConverter(typeof(CountConverter))] int? TopK = null)
{
    /// <summary>Parameters the endpoint does not know, refused by name ("parameters.aggregation_strategy").</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
