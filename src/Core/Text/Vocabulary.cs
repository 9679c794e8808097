namespace ServeNet.Core.Text;

/// <summary>
/// Words ↔ ids. Id 0 is the padding token (window edges), id 1 the unknown word; the rest are
/// in the order given (most frequent first, by convention).
/// </summary>
public sealed class Vocabulary
{
    public const string Padding = "<pad>";
    public const string Unknown = "<unk>";
    public const int PaddingId = 0;
    public const int UnknownId = 1;

    private readonly string[] _words;
    // Looks words up by span, so a token never has to become a string to find its id (the serving path).
    private readonly WordIndex _ids;

    /// <param name="words">Words without the two reserved tokens; duplicates are dropped.</param>
    public Vocabulary(IEnumerable<string> words)
    {
        var list = new List<string> { Padding, Unknown };
        var seen = new HashSet<string>(list, StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (seen.Add(word)) list.Add(word);
        }
        _words = list.ToArray();
        _ids = new WordIndex(_words);
    }

    public int Count => _words.Length;

    /// <summary>Every word in id order, the two reserved tokens first.</summary>
    public IReadOnlyList<string> Words => _words;

    public bool Contains(string word) => _ids.IdOf(word) >= 0;

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/>.</summary>
    public int IdOf(string word) => IdOf(word.AsSpan());

    public bool TryGetId(string word, out int id) => TryGetId(word.AsSpan(), out id);

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/>; allocates nothing.</summary>
    public int IdOf(ReadOnlySpan<char> word) => _ids.IdOf(word) is int id and >= 0 ? id : UnknownId;

    /// <summary>
    /// Starts the look-ups of every token's form: its hash into <paramref name="hashes"/>, for
    /// <see cref="IdOf(ReadOnlySpan{char}, uint)"/>, and the table's memory asked for, so that a text's look-ups wait
    /// for memory together rather than one by one.
    /// </summary>
    internal void StartLookups<TForms>(TForms tokens, Span<uint> hashes) where TForms : ITokenForms
    {
        for (int i = 0; i < tokens.Count; i++) hashes[i] = _ids.Start(tokens.Form(i));
    }

    /// <summary>The id of <paramref name="word"/> (whose look-up <see cref="StartLookups"/> started), or <see cref="UnknownId"/>.</summary>
    internal int IdOf(ReadOnlySpan<char> word, uint hash) => _ids.IdOf(word, hash) is int id and >= 0 ? id : UnknownId;

    /// <summary>Whether <paramref name="word"/> is listed, and its id (0 when it is not).</summary>
    public bool TryGetId(ReadOnlySpan<char> word, out int id)
    {
        id = _ids.IdOf(word);
        if (id >= 0) return true;
        id = 0;
        return false;
    }

    public string WordOf(int id) => (uint)id < (uint)_words.Length ? _words[id] : Unknown;

    /// <summary>Rebuilds from <see cref="Words"/> as stored (reserved tokens included).</summary>
    public static Vocabulary FromStored(IReadOnlyList<string> words)
    {
        if (words.Count < 2 || words[0] != Padding || words[1] != Unknown)
            throw new FormatException($"A stored vocabulary must start with {Padding} and {Unknown}.");
        return new Vocabulary(words.Skip(2));
    }
}
