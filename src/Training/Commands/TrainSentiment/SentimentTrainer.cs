using System.Numerics.Tensors;
using ServeNet.Core.Layers;
using ServeNet.Core.Optimization;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Core.Training;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>The outcome of a sentiment run: the best epoch's model and how it was reached.</summary>
/// <param name="HeldOut">Scores on the held-out training slice the epoch was selected on (null: selected on dev).</param>
public sealed record SentimentTrainingResult(TextClassifier Model, TrainingOutcome Outcome, ClassificationMetrics Dev,
    ClassificationMetrics? HeldOut, int TrainExamples, double DevUnknownTokenRate, int PretrainedRows);

/// <summary>
/// Trains the Deep Averaging Network on SST: GloVe-initialised embeddings averaged per sentence
/// (with word dropout), ReLU layers with dropout, softmax; Adam on shuffled mini-batches; early
/// stopping on the selection set (dev, or a held-out slice of train), keeping the best epoch's weights.
/// </summary>
public static class SentimentTrainer
{
    public static SentimentTrainingResult Train(SentimentTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<LabelledSentence> train, IReadOnlyList<LabelledSentence> dev, ITrainingProgress progress)
    {
        IReadOnlyList<LabelledSentence>? heldOut = null;
        if (settings.HoldOut > 0)
        {
            var indexed = train.Select((sentence, index) => (sentence, index)).ToArray();
            var (kept, held) = HoldOut.Split(indexed, x => x.index, settings.HoldOut, settings.HoldOutSeed);
            (train, heldOut) = (kept.Select(x => x.sentence).ToArray(), held.Select(x => x.sentence).ToArray());
            progress.Message($"selection: {heldOut.Count:N0} training sentences held out (seed {settings.HoldOutSeed}); dev is scored once, at the end");
        }
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
        var trainTokens = train.Select(s => tokenizer.Tokenize(s.Text).Select(t => t.Value).ToArray()).ToArray();
        var bag = new BagFeatures(settings.Ngrams, settings.NegationScope);
        var vocabulary = BuildVocabulary(trainTokens, glove, settings.GloveWords, bag, settings.BigramMinCount);
        progress.Message($"vocabulary: {vocabulary.Count:N0} words ({settings.GloveWords:N0} most frequent GloVe words + training words)");

        var random = new SeededRandom(settings.Seed);
        var embedding = new EmbeddingBag("embedding", vocabulary.Count, glove.Dimension, settings.WordDropout);
        var network = NetworkBuilder.Build(embedding, settings, SstReader.Labels.Count);
        network.Initialize(random.Fork(100));
        int pretrained = InitializeEmbeddings(embedding.Table, vocabulary, glove, random.Fork(101));
        int bigrams = vocabulary.Words.Count(w => w.Contains(TextClassifier.BigramSeparator));
        int negatedWords = vocabulary.Words.Count(w => w.StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal));
        if (negatedWords > 0) progress.Message($"negation scope: {negatedWords:N0} \"not_\" words from training, initialised from their words");
        if (bigrams > 0) progress.Message($"bigrams: {bigrams:N0} (seen at least {settings.BigramMinCount} times), initialised as the mean of their words");
        progress.Message($"embeddings: {pretrained:N0} of {vocabulary.Count:N0} rows from GloVe, the rest random");
        var table = embedding.Table;
        table.Frozen = settings.FreezeEmbeddings || settings.FreezeEpochs > 0;
        table.LearningRateScale = settings.EmbeddingRateScale;
        var model = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), SstReader.Labels, bag: bag);

        var trainIds = trainTokens.Select(tokens =>
        {
            var ids = new List<int>(tokens.Length * 2);
            TextClassifier.EncodeIds(vocabulary, tokens, bag, ids);
            return ids.ToArray();
        }).ToArray();
        var devTokens = dev.Select(s => tokenizer.Tokenize(s.Text)).ToArray();
        double devUnknown = devTokens.Sum(tokens => tokens.Count(t => !vocabulary.Contains(t.Value))) / (double)Math.Max(1, devTokens.Sum(t => t.Count));

        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        // L2-SP: fine-tuned rows are pulled back towards GloVe, so they stay in the space of the rows training never touches.
        var anchor = settings.EmbeddingAnchor > 0 ? new AnchorRegularizer(table, settings.EmbeddingAnchor) : null;
        var trainer = new Trainer<TokenBatch>(network, optimizer, random.Fork(102), new TrainerOptions(settings.MaxGradientNorm, anchor));
        var runner = new EpochRunner<TokenBatch>(trainer, settings.ToEpochSettings())
        {
            BeforeEpoch = epoch => { if (!settings.FreezeEmbeddings && epoch == settings.FreezeEpochs + 1) table.Frozen = false; },
        };
        var selection = heldOut ?? dev;
        var outcome = runner.Run(new SentenceBatches(trainIds, train.Select(s => s.Label).ToArray(), settings.BatchSize), random.Fork(103),
            () => SentimentEvaluator.Evaluate(model, selection).Accuracy, progress);

        var devMetrics = SentimentEvaluator.Evaluate(model, dev);
        var heldOutMetrics = heldOut is null ? null : SentimentEvaluator.Evaluate(model, heldOut);
        return new SentimentTrainingResult(model, outcome, devMetrics, heldOutMetrics, train.Count, devUnknown, pretrained);
    }

    /// <summary>
    /// Training words (most frequent first), the most frequent GloVe words not already in, then
    /// (ngrams = 2) training bigrams seen at least bigramMinCount times.
    /// </summary>
    public static Vocabulary BuildVocabulary(IReadOnlyList<string[]> trainTokens, PretrainedEmbeddings glove, int gloveWords,
        BagFeatures? bag = null, int bigramMinCount = 2)
    {
        bag ??= new BagFeatures();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var bigrams = new Dictionary<string, int>(StringComparer.Ordinal);
        var negated = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tokens in trainTokens)
        {
            foreach (var token in tokens) counts[token] = counts.GetValueOrDefault(token) + 1;
            if (bag.NegationScope)
            {
                var inScope = BagFeatures.NegatedPositions(tokens);
                for (int i = 0; i < tokens.Length; i++)
                    if (inScope[i]) negated[BagFeatures.NegatedPrefix + tokens[i]] = negated.GetValueOrDefault(BagFeatures.NegatedPrefix + tokens[i]) + 1;
            }
            if (bag.Ngrams < 2) continue;
            for (int i = 0; i + 1 < tokens.Length; i++)
            {
                string bigram = tokens[i] + TextClassifier.BigramSeparator + tokens[i + 1];
                bigrams[bigram] = bigrams.GetValueOrDefault(bigram) + 1;
            }
        }
        static IEnumerable<string> ByFrequency(Dictionary<string, int> d, int minCount) =>
            d.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
        return new Vocabulary(ByFrequency(counts, 1).Concat(glove.Words.Take(gloveWords))
            .Concat(ByFrequency(bigrams, bigramMinCount)).Concat(ByFrequency(negated, 1)));
    }

    /// <summary>GloVe vectors where found; bigrams and negated words derived from their words; small random vectors elsewhere.</summary>
    public static int InitializeEmbeddings(Parameter table, Vocabulary vocabulary, PretrainedEmbeddings glove, SeededRandom random) =>
        GloveLookup.Initialize(table, vocabulary, glove, random, (id, row) =>
        {
            string word = vocabulary.WordOf(id);
            if (word.IndexOf(TextClassifier.BigramSeparator) is int space and > 0)
            {
                // A bigram starts as the mean of its two words (already initialised: words come first).
                TensorPrimitives.Add(table.Row(vocabulary.IdOf(word[..space])), table.Row(vocabulary.IdOf(word[(space + 1)..])), row);
                TensorPrimitives.Multiply(row, 0.5f, row);
                return true;
            }
            if (word.StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal)
                && vocabulary.TryGetId(word[BagFeatures.NegatedPrefix.Length..], out int plain) && plain < id)
            {
                table.Row(plain).CopyTo(row); // a negated word starts where the word is; fine-tuning moves it
                return true;
            }
            return false;
        });
}
