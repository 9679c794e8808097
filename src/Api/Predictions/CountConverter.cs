using System.Text.Json;
using System.Text.Json.Serialization;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Predictions;

/// <summary>Reads a whole number of at least 1 ("top_k"); anything else is refused saying what was found.</summary>
public sealed class CountConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonFieldException($"Expected a whole number of at least 1; found {TextConverter.Describe(reader.TokenType)}.");
        if (!reader.TryGetInt32(out int value) || value < 1)
            throw new JsonFieldException($"Expected a whole number of at least 1; found {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
