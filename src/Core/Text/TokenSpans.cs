namespace ServeNet.Core.Text;

/// <summary>
/// The tokens of one text with their normal forms in one character buffer, for the serving path:
/// a vocabulary lookup reads <see cref="Form"/> as a span, and a <see cref="TextToken"/> (with its
/// string) is made only when someone asks for it. Reused between texts, it allocates nothing once
/// grown. Filled by <see cref="WordTokenizer.Tokenize(string, TokenSpans)"/>; not thread-safe.
/// </summary>
public sealed class TokenSpans : ITokenForms
{
    private char[] _forms = new char[256];
    private int _formsLength;
    private (int Start, int Length)[] _formSpans = new (int, int)[32];
    private (int Offset, int Length)[] _sources = new (int, int)[32];
    private int _count;

    /// <summary>Segmentation output (offset, length in the text), before normalisation.</summary>
    internal List<(int Offset, int Length)> Segments { get; } = [];

    public int Count => _count;

    /// <summary>The normal form of token <paramref name="index"/> (what the vocabulary holds).</summary>
    public ReadOnlySpan<char> Form(int index) => _forms.AsSpan(_formSpans[index].Start, _formSpans[index].Length);

    /// <summary>Where token <paramref name="index"/> came from in the text (UTF-16 code units).</summary>
    public (int Offset, int Length) Source(int index) => _sources[index];

    /// <summary>The token with its normal form as a string (allocates one).</summary>
    public TextToken this[int index] => new(new string(Form(index)), _sources[index].Offset, _sources[index].Length);

    /// <summary>Every token as a <see cref="TextToken"/>: for results that outlive this buffer.</summary>
    public TextToken[] ToArray()
    {
        var tokens = new TextToken[_count];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = this[i];
        return tokens;
    }

    internal void Reset()
    {
        _count = 0;
        _formsLength = 0;
        Segments.Clear();
    }

    // Room for the next form; Commit records how much of it was used.
    internal Span<char> Reserve(int capacity)
    {
        if (_formsLength + capacity > _forms.Length) Array.Resize(ref _forms, Math.Max(2 * _forms.Length, _formsLength + capacity));
        return _forms.AsSpan(_formsLength, capacity);
    }

    internal void Commit(int offset, int length, int formLength)
    {
        if (_count == _sources.Length)
        {
            Array.Resize(ref _sources, 2 * _count);
            Array.Resize(ref _formSpans, 2 * _count);
        }
        _sources[_count] = (offset, length);
        _formSpans[_count] = (_formsLength, formLength);
        _formsLength += formLength;
        _count++;
    }

    /// <summary>Characters of normal forms this buffer can hold without growing (what it keeps alive).</summary>
    public int Capacity => _forms.Length;

    /// <summary>Where every token came from, as an array that outlives this buffer.</summary>
    public (int Offset, int Length)[] Sources() => _sources.AsSpan(0, _count).ToArray();
}
