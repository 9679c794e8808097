namespace ServeNet.Core.Text;

/// <summary>
/// For a word the vocabulary lacks, the most frequent vocabulary word one edit away: a character
/// deleted, inserted or replaced, or two adjacent characters swapped ("wonderfull", "actng",
/// "brillant", "moveis"). Symmetric deletes (Garbe's SymSpell): every indexed word and each of its
/// one-character deletions is stored once (as a 64-bit key, ~16 bytes per entry), so a lookup is
/// length + 1 probes and a distance check, with no allocation. Only words of letters of at least
/// <see cref="MinLength"/> characters are corrected: short words have too many neighbours.
/// </summary>
/// <remarks>
/// A word's keys (itself and each deletion) come from one polynomial hash over its characters, each deletion's from a
/// prefix and a suffix in O(1), so all length + 1 keys cost O(length) where hashing each from scratch cost O(length²);
/// a bit filter in front of the entries (two bits a key in one 64-bit word, 4 Mbit) answers most probes of a word with no correction
/// without touching the entries (a few MB, mostly out of cache).
/// </remarks>
public sealed class TypoIndex
{
    public const int MinLength = 4;

    // key of a word or a deletion of one → the lowest id (the most frequent word) that gives it.
    private readonly Dictionary<ulong, int> _entries = new();
    private readonly ulong[] _filter = new ulong[FilterBits / 64];
    private readonly Vocabulary _vocabulary;

    private const int FilterBits = 1 << 22;
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL; // odd: every power is a unit mod 2^64
    private const int MaxKeysOnStack = 64;

    public TypoIndex(Vocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        Span<ulong> keys = stackalloc ulong[MaxKeysOnStack + 1];
        for (int id = Vocabulary.UnknownId + 1; id < vocabulary.Count; id++)
        {
            string word = vocabulary.WordOf(id);
            if (word.Length < MinLength - 1 || !IsLetters(word)) continue;
            var wordKeys = word.Length <= MaxKeysOnStack ? keys[..(word.Length + 1)] : new ulong[word.Length + 1];
            Keys(word, wordKeys);
            foreach (ulong key in wordKeys) Add(key, id);
        }
    }

    /// <summary>The id of the most frequent vocabulary word within one edit of <paramref name="word"/>, if any.</summary>
    public bool TryCorrect(string word, out int id) => TryCorrect(word.AsSpan(), out id);

    /// <inheritdoc cref="TryCorrect(string, out int)"/>
    public bool TryCorrect(ReadOnlySpan<char> word, out int id)
    {
        id = -1;
        if (word.Length < MinLength || !IsLetters(word)) return false;
        Span<ulong> keys = word.Length <= MaxKeysOnStack ? stackalloc ulong[word.Length + 1] : new ulong[word.Length + 1];
        Keys(word, keys);
        foreach (ulong key in keys)
        {
            if (!MayHold(key) || !_entries.TryGetValue(key, out int candidate) || (id >= 0 && candidate >= id)) continue;
            if (WithinOneEdit(word, _vocabulary.WordOf(candidate))) id = candidate;
        }
        return id >= 0;
    }

    private void Add(ulong key, int id)
    {
        if (!_entries.TryGetValue(key, out int existing) || id < existing) _entries[key] = id;
        _filter[FilterWord(key)] |= FilterBitsOf(key);
    }

    // False only for a key no word gave (a bit filter: no false negatives). Both of a key's bits are in one 64-bit word,
    // so a probe reads one cache line.
    private bool MayHold(ulong key) => (_filter[FilterWord(key)] & FilterBitsOf(key)) == FilterBitsOf(key);

    private static int FilterWord(ulong key) => (int)((key >> 32) % (FilterBits / 64));

    private static ulong FilterBitsOf(ulong key) => (1UL << (int)key) | (1UL << (int)(key >> 6));

    private static bool IsLetters(ReadOnlySpan<char> word)
    {
        foreach (char c in word) if (!char.IsLetter(c)) return false;
        return true;
    }

    /// <summary>
    /// keys[0]: the word's key; keys[1 + k]: the key of the word without character k. A polynomial hash
    /// H = Σ c_i·P^(n−1−i) mod 2^64 gives a deletion's from the prefix before k and the suffix after it:
    /// prefix·P^(n−1−k) + suffix, the same value as hashing the shorter string; the length and a final mix are folded in.
    /// </summary>
    internal static void Keys(ReadOnlySpan<char> word, Span<ulong> keys)
    {
        int n = word.Length;
        // Suffix hashes from the right, stored in keys[1..] for now: keys[1 + k] = Σ_{i > k} c_i·P^(n−1−i).
        ulong suffix = 0, power = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            keys[1 + k] = suffix;
            suffix += (word[k] + 1UL) * power;
            power *= Multiplier;
        }
        keys[0] = Finish(suffix, n);
        // powers of P from P^(n−1) down: prefix·P^(n−1−k) is built as the prefix advances (P is a unit mod 2^64,
        // but dividing is not needed: the prefix hash times P^(n−1−k) is the prefix's terms at their places in H).
        ulong prefixTerms = 0; // Σ_{i < k} c_i·P^(n−1−i)
        ulong place = power;   // P^n; divided by P at each step below by walking a precomputed inverse
        for (int k = 0; k < n; k++)
        {
            place *= Inverse;  // P^(n−1−k)
            // Without c_k, the characters before k move one place down: their terms divided by P.
            keys[1 + k] = Finish(prefixTerms * Inverse + keys[1 + k], n - 1);
            prefixTerms += (word[k] + 1UL) * place;
        }
    }

    // P's inverse mod 2^64 (P odd), by Newton's iteration: each step doubles the correct low bits.
    private static readonly ulong Inverse = InverseOf(Multiplier);

    private static ulong InverseOf(ulong odd)
    {
        ulong inverse = odd; // correct to 3 bits for any odd number
        for (int i = 0; i < 5; i++) inverse *= 2 - odd * inverse;
        return inverse;
    }

    private static ulong Finish(ulong hash, int length)
    {
        hash ^= (ulong)length * 0xD6E8FEB86659FD93UL;
        hash ^= hash >> 32;
        hash *= 0xD6E8FEB86659FD93UL;
        return hash ^ (hash >> 32);
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
