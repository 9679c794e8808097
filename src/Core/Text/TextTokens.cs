using System.Collections;

namespace ServeNet.Core.Text;

/// <summary>
/// A text's tokens kept as where they came from: a token's normal form is made (one string) only
/// when it is read, so a result that nobody inspects costs one small array, not a string per token.
/// </summary>
public sealed class TextTokens(WordTokenizer tokenizer, string text, (int Offset, int Length)[] sources) : IReadOnlyList<TextToken>
{
    public int Count => sources.Length;

    public TextToken this[int index]
    {
        get
        {
            var (offset, length) = sources[index];
            return new TextToken(tokenizer.Normalize(text, offset, length), offset, length);
        }
    }

    public IEnumerator<TextToken> GetEnumerator()
    {
        for (int i = 0; i < sources.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
