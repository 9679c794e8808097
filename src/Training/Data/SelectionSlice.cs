using ServeNet.Core.Tensors;
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
    /// Splits off round(fraction × distinct sentences) distinct sentences, drawn with a seeded shuffle:
    /// the same sentences, seed and fraction always give the same slice.
    /// </summary>
    public static (List<LabelledSentence> Train, List<LabelledSentence> Slice) Split(
        IReadOnlyList<LabelledSentence> sentences, double fraction, ulong seed, WordTokenizer tokenizer)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The slice is a fraction in (0, 1).");
        var keys = sentences.Select(s => Key(tokenizer, s.Text)).ToArray();
        var distinct = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new SeededRandom(seed).Shuffle(distinct.AsSpan());
        var held = new HashSet<string>(distinct.Take((int)Math.Round(fraction * distinct.Length)), StringComparer.Ordinal);
        var train = new List<LabelledSentence>();
        var slice = new List<LabelledSentence>();
        for (int i = 0; i < sentences.Count; i++) (held.Contains(keys[i]) ? slice : train).Add(sentences[i]);
        return (train, slice);
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
