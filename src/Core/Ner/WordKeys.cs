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
}
