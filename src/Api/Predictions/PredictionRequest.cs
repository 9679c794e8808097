using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServeNet.Api.Predictions;

/// <summary>One text or a batch of texts to predict on (/classify and /ner): give exactly one of the two fields.</summary>
/// <param name="Text">A single text (by default 1 to 100,000 characters and at most 5,000 tokens, not only whitespace).</param>
/// <param name="Texts">A batch of texts (1 to 256 by default, at most 20,000 tokens together), each like <c>text</c>; answered in the same order.</param>
public sealed record PredictionRequest(
    [property: JsonConverter(typeof(TextConverter))] string? Text,
    [property: JsonConverter(typeof(TextListConverter))] IReadOnlyList<string?>? Texts)
{
    /// <summary>
    /// Properties the request does not have (a typo such as "txt"), kept so that <see cref="TextBatch"/>
    /// refuses each by name, beside the field it probably meant, rather than ignoring it.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
