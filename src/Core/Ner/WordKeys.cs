namespace ServeNet.Core.Ner;

/// <summary>
/// How a token is looked up in the tagger's word vocabulary, the same in training and serving:
/// lowercased (GloVe is lowercase; case goes to <see cref="WordShape"/>), with digits mapped to 0
/// as a fallback so unseen numbers and dates share a vector ("1996-08-31" → "0000-00-00").
/// </summary>
public static class WordKeys
{
    public static string Primary(string token) => token.ToLowerInvariant();

    public static string DigitShape(string key)
    {
        if (!key.Any(char.IsDigit)) return key;
        return string.Create(key.Length, key, static (span, k) =>
        {
            for (int i = 0; i < k.Length; i++) span[i] = char.IsDigit(k[i]) ? '0' : k[i];
        });
    }

    /// <summary>Lowercased suffix of up to <paramref name="length"/> characters.</summary>
    public static string Suffix(string token, int length) =>
        (token.Length <= length ? token : token[^length..]).ToLowerInvariant();

    /// <summary>Lowercased prefix of up to <paramref name="length"/> characters.</summary>
    public static string Prefix(string token, int length) =>
        (token.Length <= length ? token : token[..length]).ToLowerInvariant();

    // The same keys written into a caller's buffer (serving: no string per token). Each destination must be at least
    // as long as what it receives: the token, or the key.

    /// <inheritdoc cref="Primary(string)"/>
    public static ReadOnlySpan<char> Primary(ReadOnlySpan<char> token, Span<char> destination) =>
        destination[..token.ToLowerInvariant(destination)];

    /// <inheritdoc cref="DigitShape(string)"/>
    public static ReadOnlySpan<char> DigitShape(ReadOnlySpan<char> key, Span<char> destination)
    {
        int first = 0;
        while (first < key.Length && !char.IsDigit(key[first])) first++;
        if (first == key.Length) return key;
        for (int i = 0; i < key.Length; i++) destination[i] = char.IsDigit(key[i]) ? '0' : key[i];
        return destination[..key.Length];
    }

    /// <inheritdoc cref="Suffix(string, int)"/>
    public static ReadOnlySpan<char> Suffix(ReadOnlySpan<char> token, int length, Span<char> destination) =>
        Primary(token.Length <= length ? token : token[^length..], destination);

    /// <inheritdoc cref="Prefix(string, int)"/>
    public static ReadOnlySpan<char> Prefix(ReadOnlySpan<char> token, int length, Span<char> destination) =>
        Primary(token.Length <= length ? token : token[..length], destination);
}
