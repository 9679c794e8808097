namespace ServeNet.Core.Text;

/// <summary>
/// One token: its normalised form (what the vocabulary and the corpus use) and where it came
/// from in the submitted text, in UTF-16 code units: text.Substring(Start, Length) is the original.
/// </summary>
public readonly record struct TextToken(string Value, int Start, int Length)
{
    public int End => Start + Length;
}
