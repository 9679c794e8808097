namespace ServeNet.Core.Text;

/// <summary>
/// A text's tokens in their normal form, read as spans: <see cref="TokenSpans"/> when serving (no
/// string per token), <see cref="StringForms"/> for corpus tokens held as strings. Feature code is
/// written once against this and specialised per kind by the JIT.
/// </summary>
public interface ITokenForms
{
    int Count { get; }

    ReadOnlySpan<char> Form(int index);
}

/// <summary>Token forms held as strings (corpus lines, tests).</summary>
public readonly struct StringForms(IReadOnlyList<string> tokens) : ITokenForms
{
    public int Count => tokens.Count;

    public ReadOnlySpan<char> Form(int index) => tokens[index];
}
