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
    private readonly Dictionary<string, int> _ids;
    // Looks words up by span, so a token never has to become a string to find its id.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;

    /// <param name="words">Words without the two reserved tokens; duplicates are dropped.</param>
    public Vocabulary(IEnumerable<string> words)
    {
        var list = new List<string> { Padding, Unknown };
        _ids = new Dictionary<string, int>(StringComparer.Ordinal) { [Padding] = PaddingId, [Unknown] = UnknownId };
        foreach (var word in words)
        {
            if (_ids.TryAdd(word, list.Count)) list.Add(word);
        }
        _words = list.ToArray();
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _words.Length;

    /// <summary>Every word in id order, the two reserved tokens first.</summary>
    public IReadOnlyList<string> Words => _words;

    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/>.</summary>
    public int IdOf(string word) => _ids.TryGetValue(word, out int id) ? id : UnknownId;

    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/>; allocates nothing.</summary>
    public int IdOf(ReadOnlySpan<char> word) => _idsBySpan.TryGetValue(word, out int id) ? id : UnknownId;

    public bool TryGetId(ReadOnlySpan<char> word, out int id) => _idsBySpan.TryGetValue(word, out id);

    public string WordOf(int id) => (uint)id < (uint)_words.Length ? _words[id] : Unknown;

    /// <summary>Rebuilds from <see cref="Words"/> as stored (reserved tokens included).</summary>
    public static Vocabulary FromStored(IReadOnlyList<string> words)
    {
        if (words.Count < 2 || words[0] != Padding || words[1] != Unknown)
            throw new FormatException($"A stored vocabulary must start with {Padding} and {Unknown}.");
        return new Vocabulary(words.Skip(2));
    }
}
