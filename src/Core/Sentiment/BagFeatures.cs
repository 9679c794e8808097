namespace ServeNet.Core.Sentiment;

/// <summary>
/// What goes into a text classifier's bag of ids besides the words; stored in the checkpoint.
/// </summary>
/// <param name="Ngrams">1: words only; 2: also every adjacent pair the vocabulary knows ("not good").</param>
/// <param name="NegationScope">Words between a negation ("not", "n't", "never"…) and the next
/// punctuation use their "not_" form when the vocabulary has one (Das &amp; Chen 2001): a mean of
/// embeddings cannot otherwise tell "good" from "not good".</param>
/// <param name="ScopeOperators">Instead of "not_" words: a word inside a negation scope (scope 1) or
/// before a contrast word in its sentence ("X, but Y": scope 2) goes through its scope's learned linear
/// map (<see cref="Layers.EmbeddingBag"/> with <see cref="OperatorScopes"/> scopes), so every word,
/// seen negated in training or not, is negated the same learned way.</param>
public sealed record BagFeatures(int Ngrams = 1, bool NegationScope = false, bool ScopeOperators = false)
{
    public const string NegatedPrefix = "not_";

    /// <summary>Scopes of <see cref="ScopeOperators"/>: 1 negation, 2 the conceded part before a contrast.</summary>
    public const int OperatorScopes = 2;

    private static readonly HashSet<string> Contrasts = new(StringComparer.Ordinal) { "but", "however" };

    private static readonly HashSet<string> SentenceEnds = new(StringComparer.Ordinal) { ".", "!", "?", ";", "...", "…" };

    /// <summary>
    /// For each token its operator scope: 1 inside a negation scope (see <see cref="NegatedPositions"/>),
    /// else 2 if a contrast word ("but", "however") follows later in the same sentence, else 0.
    /// </summary>
    public static int[] OperatorScopeOf(IReadOnlyList<string> tokens)
    {
        var scopes = new int[tokens.Count];
        var negated = NegatedPositions(tokens);
        bool contrastAhead = false;
        for (int i = tokens.Count - 1; i >= 0; i--)
        {
            string token = tokens[i];
            if (SentenceEnds.Contains(token)) contrastAhead = false;
            scopes[i] = negated[i] ? 1 : contrastAhead ? 2 : 0;
            if (Contrasts.Contains(token)) contrastAhead = true;
        }
        return scopes;
    }

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "n't", "no", "never", "nothing", "nobody", "none", "nor", "neither", "nowhere", "cannot", "without", "hardly", "barely",
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
