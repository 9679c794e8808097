using System.Buffers;
using System.Runtime.InteropServices;
using ServeNet.Core.Text;

namespace ServeNet.Core.Sentiment;

/// <summary>
/// What goes into a text classifier's bag of ids besides the words; stored in the checkpoint.
/// </summary>
/// <param name="Ngrams">1: words only; 2: also every adjacent pair the vocabulary knows ("not good").</param>
/// <param name="NegationScope">Words between a negation ("not", "n't", "never"…) and the next
/// punctuation use their "not_" form when the vocabulary has one (Das &amp; Chen 2001): a mean of
/// embeddings cannot otherwise tell "good" from "not good".</param>
/// <param name="ScopeOperators">Instead of "not_" words, scopes with learned linear maps
/// (<see cref="Layers.EmbeddingBag"/> with this many scopes): 1, a word inside a negation scope goes
/// through the negation map, so every word, seen negated in training or not, is negated the same
/// learned way; 2, also a word before a contrast word in its sentence ("X, but Y") through the
/// contrast map; 0, none.</param>
/// <param name="TypoFallback">A word the vocabulary lacks takes the id of the most frequent vocabulary
/// word one edit away (<see cref="Text.TypoIndex"/>), if there is one, instead of the unknown word's.</param>
public sealed record BagFeatures(int Ngrams = 1, bool NegationScope = false, int ScopeOperators = 0, bool TypoFallback = false)
{
    public const string NegatedPrefix = "not_";

    private static readonly HashSet<string> Contrasts = new(StringComparer.Ordinal) { "but", "however" };

    private static readonly HashSet<string> SentenceEnds = new(StringComparer.Ordinal) { ".", "!", "?", ";", "...", "…" };

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "n't", "no", "never", "nothing", "nobody", "none", "nor", "neither", "nowhere", "cannot", "without", "hardly", "barely",
        // Contractions typed without the apostrophe (one token each): "didnt enjoy" negates like "did n't enjoy".
        "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wouldnt", "shouldnt", "wont", "havent", "hasnt", "hadnt", "aint",
    };

    private static readonly HashSet<string> ScopeEnds = new(StringComparer.Ordinal)
    {
        ".", ",", ";", ":", "!", "?", "--", "...", "-lrb-", "-rrb-", "``", "''", "but", "and",
    };

    // What each cue word is, in one table read by span: one lookup per token instead of one per set,
    // and none for a token longer than every cue word.
    [Flags]
    private enum Cue : byte { None = 0, Negation = 1, ScopeEnd = 2, SentenceEnd = 4, Contrast = 8 }

    private static readonly (WordIndex Words, Cue[] Kinds, int MaxLength, ulong[] Firsts, ulong[] Lasts) Cues = CueTable();

    private static (WordIndex, Cue[], int, ulong[], ulong[]) CueTable()
    {
        var table = new Dictionary<string, Cue>(StringComparer.Ordinal);
        foreach (var (words, cue) in new[] { (Negations, Cue.Negation), (ScopeEnds, Cue.ScopeEnd), (SentenceEnds, Cue.SentenceEnd), (Contrasts, Cue.Contrast) })
            foreach (string word in words) table[word] = table.GetValueOrDefault(word) | cue;
        var cueWords = table.Keys.ToArray();
        int maxLength = cueWords.Max(w => w.Length);
        var firsts = new ulong[maxLength + 1];
        var lasts = new ulong[maxLength + 1];
        foreach (string word in cueWords)
        {
            firsts[word.Length] |= 1UL << word[0];
            lasts[word.Length] |= 1UL << word[^1];
        }
        return (new WordIndex(cueWords), cueWords.Select(w => table[w]).ToArray(), maxLength, firsts, lasts);
    }

    // Most tokens are no cue: a token whose length, first and last character (each character by its low six bits) match
    // no cue word's is not looked up — two bit tests instead of a hash and a probe for four tokens in five of SST
    // (20.5% pass, 15.1% are cues).
    private static Cue CueOf(ReadOnlySpan<char> token) =>
        token.Length is > 0 and var n && n <= Cues.MaxLength
        && (Cues.Firsts[n] >> token[0] & 1) != 0 && (Cues.Lasts[n] >> token[n - 1] & 1) != 0
        && Cues.Words.IdOf(token) is int i and >= 0 ? Cues.Kinds[i] : Cue.None;

    // The negation scope rule, read token by token: a scope opens after a negation cue and closes at a
    // scope end; whether this token lies inside it (a cue or scope end itself does not).
    private static bool InNegationScope(Cue cue, ref bool inScope)
    {
        if ((cue & Cue.ScopeEnd) != 0) inScope = false;
        else if ((cue & Cue.Negation) != 0) inScope = true;
        else return inScope;
        return false;
    }

    /// <summary>
    /// For each token its operator scope: 1 inside a negation scope (see <see cref="NegatedPositions"/>),
    /// else 2 (with <paramref name="scopes"/> = 2) if a contrast word ("but", "however") follows later
    /// in the same sentence, else 0.
    /// </summary>
    public static int[] OperatorScopeOf(IReadOnlyList<string> tokens, int scopes = 2)
    {
        var result = new int[tokens.Count];
        OperatorScopeOf(new StringForms(tokens), scopes, result);
        return result;
    }

    /// <summary><see cref="OperatorScopeOf(IReadOnlyList{string}, int)"/> into <paramref name="result"/> (one per token).</summary>
    public static void OperatorScopeOf<TForms>(TForms tokens, int scopes, Span<int> result) where TForms : ITokenForms
    {
        int n = tokens.Count;
        byte[]? rented = n > 512 ? ArrayPool<byte>.Shared.Rent(n) : null;
        var cues = MemoryMarshal.Cast<byte, Cue>(rented is null ? stackalloc byte[n] : rented.AsSpan(0, n));
        for (int i = 0; i < n; i++) cues[i] = CueOf(tokens.Form(i));
        bool inScope = false;
        for (int i = 0; i < n; i++) result[i] = InNegationScope(cues[i], ref inScope) ? 1 : 0;
        bool contrastAhead = false;
        for (int i = n - 1; i >= 0; i--)
        {
            if ((cues[i] & Cue.SentenceEnd) != 0) contrastAhead = false;
            if (result[i] == 0 && contrastAhead && scopes >= 2) result[i] = 2;
            if ((cues[i] & Cue.Contrast) != 0) contrastAhead = true;
        }
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>For each token, whether it lies in a negation scope (the cue itself does not).</summary>
    public static bool[] NegatedPositions(IReadOnlyList<string> tokens)
    {
        var negated = new bool[tokens.Count];
        NegatedPositions(new StringForms(tokens), negated);
        return negated;
    }

    /// <summary><see cref="NegatedPositions(IReadOnlyList{string})"/> into <paramref name="negated"/> (one per token).</summary>
    public static void NegatedPositions<TForms>(TForms tokens, Span<bool> negated) where TForms : ITokenForms
    {
        bool inScope = false;
        for (int i = 0; i < tokens.Count; i++) negated[i] = InNegationScope(CueOf(tokens.Form(i)), ref inScope);
    }
}
