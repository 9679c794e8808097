using ServeNet.Core.Text;
using ServeNet.Training.Data;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>
/// The SST examples of one run: what it trains on (sentences, plus phrase labels when asked), the
/// held-out sentences it selects and calibrates on (none: it selects on dev), and the training
/// sentences alone (the SST text that in-domain word vectors may read).
/// </summary>
public sealed record SentimentData(IReadOnlyList<LabelledSentence> Train, IReadOnlyList<LabelledSentence>? HeldOut,
    IReadOnlyList<LabelledSentence> TrainSentences, int Phrases)
{
    /// <summary>
    /// Holds out <see cref="Commands.TrainingSettings.HoldOut"/> of the distinct sentences (seeded), drops
    /// every phrase that lies inside a held-out sentence, then adds the remaining phrases that are not
    /// themselves training sentences.
    /// </summary>
    public static SentimentData Prepare(SentimentTrainingSettings settings, IReadOnlyList<LabelledSentence> sentences,
        IReadOnlyList<LabelledSentence>? phrases, Action<string> log)
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
        IReadOnlyList<LabelledSentence>? heldOut = null;
        if (settings.HoldOut > 0)
        {
            (sentences, heldOut) = SelectionSlice.Split(sentences, settings.HoldOut, settings.HoldOutSeed, tokenizer);
            log($"selection: {heldOut.Count:N0} training sentences held out (seed {settings.HoldOutSeed}); dev is scored once, at the end");
        }
        if (phrases is null) return new SentimentData(sentences, heldOut, sentences, 0);
        var kept = heldOut is null ? phrases : SelectionSlice.DropLeakingPhrases(phrases, heldOut, tokenizer);
        var train = SstPhrases.AddTo(sentences, kept, tokenizer);
        log($"phrases: {train.Count - sentences.Count:N0} besides the {sentences.Count:N0} sentences" +
            (heldOut is null ? "" : $" ({phrases.Count - kept.Count:N0} dropped: inside a held-out sentence)"));
        return new SentimentData(train, heldOut, sentences, train.Count - sentences.Count);
    }
}
