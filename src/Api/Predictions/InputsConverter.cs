using System.Text.Json;
using System.Text.Json.Serialization;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Predictions;

/// <summary>
/// Reads Hugging Face's "inputs": a string (one text) or an array of strings (a batch); null items are
/// kept for <see cref="TextBatch"/> to refuse by index. Anything else is refused saying what was found.
/// </summary>
public sealed class InputsConverter : JsonConverter<IReadOnlyList<string?>>
{
    public override IReadOnlyList<string?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => [TextConverter.ReadText(ref reader)],
            JsonTokenType.StartArray => TextListConverter.ReadItems(ref reader),
            _ => throw new JsonFieldException($"Expected a string or an array of strings; found {TextConverter.Describe(reader.TokenType)}."),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (string? text in value) writer.WriteStringValue(text);
        writer.WriteEndArray();
    }
}
