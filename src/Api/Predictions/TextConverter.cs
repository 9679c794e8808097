using System.Text.Json;
using System.Text.Json.Serialization;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Predictions;

/// <summary>
/// Reads "text": a JSON string (null never reaches a converter; <see cref="TextBatch"/> refuses it by
/// name). Anything else, or a string that is not valid Unicode, is refused with a
/// <see cref="JsonFieldException"/> saying what was expected and what was found.
/// </summary>
public sealed class TextConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <param name="within">Where the value sits inside the property being read: "" or "[i]".</param>
    internal static string ReadText(ref Utf8JsonReader reader, string within = "")
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonFieldException($"Expected a string; found {Describe(reader.TokenType)}.", within);
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // GetString's documented refusal of a string token: invalid UTF-8, or an unpaired surrogate escape.
            throw new JsonFieldException("The string is not valid Unicode: it has invalid UTF-8 or a lone surrogate escape such as \"\\ud800\".", within);
        }
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
