namespace ServeNet.Core.Text;

/// <summary>
/// For a word the vocabulary lacks, the most frequent vocabulary word one edit away: a character
/// deleted, inserted or replaced, or two adjacent characters swapped ("wonderfull", "actng",
/// "brillant", "moveis"). Symmetric deletes (Garbe's SymSpell): every indexed word and each of its
/// one-character deletions is stored once (as a 64-bit hash, ~16 bytes per entry), so a lookup is
/// length + 1 probes and a distance check, with no allocation. Only words of letters of at least
/// <see cref="MinLength"/> characters are corrected: short words have too many neighbours.
/// </summary>
public sealed class TypoIndex
{
    public const int MinLength = 4;

    // hash of a word or a deletion of one → the lowest id (the most frequent word) that gives it.
    private readonly Dictionary<ulong, int> _entries = new();
    private readonly Vocabulary _vocabulary;

    public TypoIndex(Vocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        for (int id = Vocabulary.UnknownId + 1; id < vocabulary.Count; id++)
        {
            string word = vocabulary.WordOf(id);
            if (word.Length < MinLength - 1 || !IsLetters(word)) continue;
            Add(Hash(word, -1), id);
            for (int skip = 0; skip < word.Length; skip++) Add(Hash(word, skip), id);
        }
    }

    /// <summary>The id of the most frequent vocabulary word within one edit of <paramref name="word"/>, if any.</summary>
    public bool TryCorrect(string word, out int id) => TryCorrect(word.AsSpan(), out id);

    /// <inheritdoc cref="TryCorrect(string, out int)"/>
    public bool TryCorrect(ReadOnlySpan<char> word, out int id)
    {
        id = -1;
        if (word.Length < MinLength || !IsLetters(word)) return false;
        for (int skip = -1; skip < word.Length; skip++)
        {
            if (!_entries.TryGetValue(Hash(word, skip), out int candidate) || (id >= 0 && candidate >= id)) continue;
            if (WithinOneEdit(word, _vocabulary.WordOf(candidate))) id = candidate;
        }
        return id >= 0;
    }

    private void Add(ulong key, int id)
    {
        if (!_entries.TryGetValue(key, out int existing) || id < existing) _entries[key] = id;
    }

    private static bool IsLetters(ReadOnlySpan<char> word)
    {
        foreach (char c in word) if (!char.IsLetter(c)) return false;
        return true;
    }

    // FNV-1a over the characters of word, leaving out position skip (−1: none).
    private static ulong Hash(ReadOnlySpan<char> word, int skip)
    {
        ulong hash = 14695981039346656037UL;
        for (int i = 0; i < word.Length; i++)
        {
            if (i == skip) continue;
            hash = (hash ^ word[i]) * 1099511628211UL;
        }
        return hash ^ (ulong)(word.Length - (skip >= 0 ? 1 : 0));
    }

    /// <summary>Optimal-string-alignment distance ≤ 1: equal, or one deletion, insertion, replacement or adjacent swap apart.</summary>
    internal static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (i == a.Length && i == b.Length) return true;
        if (a.Length == b.Length)
        {
            var restA = a[(i + 1)..];
            if (restA.SequenceEqual(b[(i + 1)..])) return true; // replaced
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]); // swapped
        }
        return a.Length > b.Length ? a[(i + 1)..].SequenceEqual(b[i..]) : a[i..].SequenceEqual(b[(i + 1)..]);
    }
}
