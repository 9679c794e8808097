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

    /// <summary>
    /// For each token its operator scope: 1 inside a negation scope (see <see cref="NegatedPositions"/>),
    /// else 2 (with <paramref name="scopes"/> = 2) if a contrast word ("but", "however") follows later
    /// in the same sentence, else 0.
    /// </summary>
    public static int[] OperatorScopeOf(IReadOnlyList<string> tokens, int scopes = 2)
    {
        var result = new int[tokens.Count];
        var negated = NegatedPositions(tokens);
        bool contrastAhead = false;
        for (int i = tokens.Count - 1; i >= 0; i--)
        {
            string token = tokens[i];
            if (SentenceEnds.Contains(token)) contrastAhead = false;
            result[i] = negated[i] ? 1 : contrastAhead && scopes >= 2 ? 2 : 0;
            if (Contrasts.Contains(token)) contrastAhead = true;
        }
        return result;
    }

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

    /// <summary>For each token, whether it lies in a negation scope (the cue itself does not).</summary>
    public static bool[] NegatedPositions(IReadOnlyList<string> tokens)
    {
        var negated = new bool[tokens.Count];
        bool inScope = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (ScopeEnds.Contains(token)) inScope = false;
            else if (Negations.Contains(token)) inScope = true;
            else negated[i] = inScope;
        }
        return negated;
    }
}
