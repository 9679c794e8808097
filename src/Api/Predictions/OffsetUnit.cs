namespace ServeNet.Api.Predictions;

/// <summary>
/// What a character offset counts (<c>?offsets=</c>): the unit in which <c>text[start:end]</c> gives the token
/// back in the client's language.
/// </summary>
public enum OffsetUnit
{
    /// <summary>UTF-16 code units (the default): C#, JavaScript, Java. A character outside the Basic Multilingual Plane (an emoji) counts 2.</summary>
    Utf16,
    /// <summary>Unicode code points: Python, spaCy, Hugging Face. Every character counts 1.</summary>
    CodePoints,
    /// <summary>Bytes of the UTF-8 encoding: Rust, Go, C. A character counts 1 to 4.</summary>
    Utf8,
}

public static class OffsetUnits
{
    /// <summary>The names accepted by <c>?offsets=</c>, in the order of <see cref="OffsetUnit"/>.</summary>
    public static readonly string[] Names = ["utf16", "codepoints", "utf8"];

    /// <summary>"utf16", "codepoints" or "utf8" (any case); null or empty is the default, UTF-16.</summary>
    public static bool TryParse(string? value, out OffsetUnit unit)
    {
        unit = OffsetUnit.Utf16;
        if (string.IsNullOrEmpty(value)) return true;
        int index = Array.FindIndex(Names, name => string.Equals(name, value, StringComparison.OrdinalIgnoreCase));
        if (index < 0) return false;
        unit = (OffsetUnit)index;
        return true;
    }

    public static string Describe(string value) => $"Expected utf16, codepoints or utf8; found \"{value}\".";
}
