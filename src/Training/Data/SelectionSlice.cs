using ServeNet.Core.Text;

namespace ServeNet.Training.Data;

/// <summary>
/// A fixed slice of the training sentences held out for model selection (early stopping,
/// hyperparameters, calibration), so dev is looked at only once per final configuration. Sentences
/// are compared by their tokens, so duplicates (and a sentence written with and without PTB
/// escapes) always land on the same side.
/// </summary>
public static class SelectionSlice
{
    /// <summary>
    /// Splits off round(fraction × distinct sentences) distinct sentences with <see cref="HoldOut"/>
    /// (a sentence's group is the rank of its tokens among the distinct ones): the same sentences,
    /// seed and fraction always give the same slice.
    /// </summary>
    public static (List<LabelledSentence> Train, List<LabelledSentence> Slice) Split(
        IReadOnlyList<LabelledSentence> sentences, double fraction, ulong seed, WordTokenizer tokenizer)
    {
        var keys = sentences.Select(s => Key(tokenizer, s.Text)).ToArray();
        var rank = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select((key, i) => (key, i))
            .ToDictionary(x => x.key, x => x.i, StringComparer.Ordinal);
        var (train, slice) = HoldOut.Split(Enumerable.Range(0, sentences.Count).ToArray(), i => rank[keys[i]], fraction, seed);
        return (train.Select(i => sentences[i]).ToList(), slice.Select(i => sentences[i]).ToList());
    }

    /// <summary>
    /// The phrases that do not occur as a contiguous run of tokens inside any held-out sentence: the
    /// phrase labels of a held-out sentence's tree (down to its single words) would otherwise teach
    /// the model that sentence's labels, and the slice would overstate accuracy.
    /// </summary>
    public static List<LabelledSentence> DropLeakingPhrases(IReadOnlyList<LabelledSentence> phrases, IReadOnlyList<LabelledSentence> heldOut,
        WordTokenizer tokenizer)
    {
        var inside = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in heldOut)
        {
            var tokens = Tokens(tokenizer, sentence.Text);
            for (int start = 0; start < tokens.Length; start++)
                for (int end = start + 1; end <= tokens.Length; end++)
                    inside.Add(string.Join(' ', tokens[start..end]));
        }
        return phrases.Where(p => !inside.Contains(Key(tokenizer, p.Text))).ToList();
    }

    /// <summary>The sentence as the model sees it: its normalised tokens joined by single spaces.</summary>
    public static string Key(WordTokenizer tokenizer, string text) => string.Join(' ', Tokens(tokenizer, text));

    private static string[] Tokens(WordTokenizer tokenizer, string text) => tokenizer.Tokenize(text).Select(t => t.Value).ToArray();
}
