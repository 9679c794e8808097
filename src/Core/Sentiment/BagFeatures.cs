namespace ServeNet.Core.Sentiment;

/// <summary>
/// What goes into a text classifier's bag of ids besides the words; stored in the checkpoint.
/// </summary>
/// <param name="Ngrams">1: words only; 2: also every adjacent pair the vocabulary knows ("not good").</param>
/// <param name="NegationScope">Words between a negation ("not", "n't", "never"…) and the next
/// punctuation use their "not_" form when the vocabulary has one (Das &amp; Chen 2001): a mean of
/// embeddings cannot otherwise tell "good" from "not good".</param>
public sealed record BagFeatures(int Ngrams = 1, bool NegationScope = false)
{
    public const string NegatedPrefix = "not_";

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
