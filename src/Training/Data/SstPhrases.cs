using ServeNet.Core.Text;

namespace ServeNet.Training.Data;

/// <summary>
/// The phrase labels of the SST training trees (../shared/data/sst/phrases.tsv, the GLUE SST-2
/// train file: "label&lt;TAB&gt;phrase", brackets and slashes unescaped) as extra training examples.
/// </summary>
public static class SstPhrases
{
    /// <summary>
    /// The training sentences, then every phrase that is not itself one of them (compared by
    /// normalised tokens: almost every training sentence is also the root phrase of its tree).
    /// </summary>
    public static List<LabelledSentence> AddTo(IReadOnlyList<LabelledSentence> sentences, IReadOnlyList<LabelledSentence> phrases, WordTokenizer tokenizer)
    {
        var seen = sentences.Select(s => SelectionSlice.Key(tokenizer, s.Text)).ToHashSet(StringComparer.Ordinal);
        var combined = new List<LabelledSentence>(sentences);
        foreach (var phrase in phrases)
            if (seen.Add(SelectionSlice.Key(tokenizer, phrase.Text))) combined.Add(phrase);
        return combined;
    }
}
