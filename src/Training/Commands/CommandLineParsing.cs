using System.Globalization;

namespace ServeNet.Training.Commands;

internal static class CommandLineParsing
{
    /// <summary>A path option that may be turned off: "none" (or empty) → null.</summary>
    public static string? OptionalPath(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : text;

    /// <summary>"300,300" → [300, 300]; an empty string → [] (no hidden layer).</summary>
    public static int[] IntList(string text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw new ArgumentException($"{option}: \"{part}\" is not a positive integer (expected e.g. 300,300).")).ToArray();
    }
}
