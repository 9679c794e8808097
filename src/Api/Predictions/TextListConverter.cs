using System.Text.Json;
using System.Text.Json.Serialization;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Predictions;

/// <summary>
/// Reads "texts": a JSON array of strings; null items are kept for <see cref="TextBatch"/> to refuse
/// by index. Not an array, or an item that is not a string, is refused with a
/// <see cref="JsonFieldException"/> naming the item ("[1]") and what was expected and found.
/// </summary>
public sealed class TextListConverter : JsonConverter<IReadOnlyList<string?>>
{
    public override IReadOnlyList<string?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonFieldException($"Expected an array of strings; found {TextConverter.Describe(reader.TokenType)}.");
        return ReadItems(ref reader);
    }

    /// <summary>The strings of an array the reader stands at the start of.</summary>
    internal static List<string?> ReadItems(ref Utf8JsonReader reader)
    {
        var texts = new List<string?>();
        // A converter is given the whole array, already checked to be well-formed JSON.
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            texts.Add(reader.TokenType == JsonTokenType.Null ? null : TextConverter.ReadText(ref reader, $"[{texts.Count}]"));
        return texts;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (string? text in value) writer.WriteStringValue(text);
        writer.WriteEndArray();
    }
}
