using System.Numerics.Tensors;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
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
/// <param name="SelectionProbabilities">The model's probabilities (T = 1) on the selection set, for calibration.</param>
public sealed record SentimentTrainingResult(TextClassifier Model, TrainingOutcome Outcome, ClassificationMetrics Dev,
    ClassificationMetrics? HeldOut, int TrainExamples, double DevUnknownTokenRate, int PretrainedRows,
    IReadOnlyList<float[]> SelectionProbabilities, int[] SelectionLabels);

/// <summary>
/// Trains the Deep Averaging Network on SST: pre-trained embeddings (GloVe, in-domain skip-gram
/// vectors, or both side by side) averaged per sentence (with word dropout), ReLU layers with dropout,
/// softmax; optionally pre-trained on review documents first and mixed with weakly labelled review
/// sentences; Adam on shuffled mini-batches; early stopping on the selection set (a held-out slice
/// of train, or dev), keeping the best epoch's weights.
/// </summary>
public static class SentimentTrainer
{
    /// <summary>Sentences only, GloVe only, the split made here: the plain DAN (benchmarks, tests).</summary>
    public static SentimentTrainingResult Train(SentimentTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<LabelledSentence> train, IReadOnlyList<LabelledSentence> dev, ITrainingProgress progress) =>
        Train(settings, new EmbeddingSources(glove, null), SentimentData.Prepare(settings, train, null, progress.Message), dev, progress);

    public static SentimentTrainingResult Train(SentimentTrainingSettings settings, EmbeddingSources sources, SentimentData data,
        IReadOnlyList<LabelledSentence> dev, ITrainingProgress progress, InDomainExamples? inDomain = null)
    {
        inDomain ??= InDomainExamples.None;
        var train = data.Train;
        var heldOut = data.HeldOut;
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
        var trainTokens = Tokenize(train, tokenizer);
        var bag = new BagFeatures(settings.Ngrams, settings.NegationScope, settings.ScopeOperators, settings.TypoFallback);
        var extraWords = (sources.InDomain?.Words.Take(settings.InDomainWords) ?? []).Concat(sources.Glove?.Words.Take(settings.GloveWords) ?? []);
        var vocabulary = BuildVocabulary(trainTokens, extraWords, bag, settings.BigramMinCount);
        progress.Message($"vocabulary: {vocabulary.Count:N0} words (training words + {(sources.InDomain is null ? 0 : settings.InDomainWords):N0} most frequent in-domain words + {(sources.Glove is null ? 0 : settings.GloveWords):N0} most frequent GloVe words)");
        if (sources.InDomain is not null && sources.Glove is not null) progress.Message($"in-domain vectors beside GloVe ({sources.Dimension} dimensions), scaled by {sources.InDomainScale:F3} to GloVe's mean norm");

        var random = new SeededRandom(settings.Seed);
        var embedding = new EmbeddingBag("embedding", vocabulary.Count, sources.Dimension, settings.WordDropout,
            bag.ScopeOperators);
        var network = NetworkBuilder.Build(embedding, settings, SstReader.Labels.Count);
        network.Initialize(random.Fork(100));
        int pretrained = InitializeEmbeddings(embedding.Table, vocabulary, sources, random.Fork(101));
        int bigrams = vocabulary.Words.Count(w => w.Contains(TextClassifier.BigramSeparator));
        int negatedWords = vocabulary.Words.Count(w => w.StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal));
        if (negatedWords > 0) progress.Message($"negation scope: {negatedWords:N0} \"not_\" words from training, initialised from their words");
        if (bag.ScopeOperators > 0) progress.Message($"scope operators: negated words{(bag.ScopeOperators > 1 ? " and words before a contrast" : "")} go through learned {sources.Dimension}×{sources.Dimension} maps (identity at the start)");
        if (bigrams > 0) progress.Message($"bigrams: {bigrams:N0} (seen at least {settings.BigramMinCount} times), initialised as the mean of their words");
        progress.Message($"embeddings: {pretrained:N0} of {vocabulary.Count:N0} rows pre-trained, the rest random");
        var table = embedding.Table;
        var model = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), SstReader.Labels, bag: bag);

        int[] Encode(string[] tokens)
        {
            var ids = new List<int>(tokens.Length * 2);
            TextClassifier.EncodeIds(vocabulary, tokens, bag, ids);
            return ids.ToArray();
        }
        var devTokens = dev.Select(s => tokenizer.Tokenize(s.Text)).ToArray();
        double devUnknown = devTokens.Sum(tokens => tokens.Count(t => !vocabulary.Contains(t.Value))) / (double)Math.Max(1, devTokens.Sum(t => t.Count));
        var selection = heldOut ?? dev;
        double Select() => SentimentEvaluator.Evaluate(model, selection).Accuracy;

        if (settings.PretrainEpochs > 0 && inDomain.Documents.Count > 0)
            Pretrain(settings, network, inDomain.Documents, tokenizer, Encode, Select, random, progress);

        // Weak examples (review sentences labelled by their review) follow the training examples in one id table.
        var weak = settings.WeakPerEpoch > 0 ? inDomain.Sentences : [];
        var ids = trainTokens.Select(Encode).Concat(Tokenize(weak, tokenizer).Select(Encode)).ToArray();
        var labels = train.Select(s => s.Label).Concat(weak.Select(s => s.Label)).ToArray();
        var batches = new SentenceBatches(ids, labels, settings.BatchSize);
        var mixed = weak.Count > 0 ? new MixedBatches(batches, train.Count, weak.Count, settings.WeakPerEpoch, random.Fork(106)) : null;
        if (mixed is not null) progress.Message($"weak labels: {mixed.Count - train.Count:N0} of {weak.Count:N0} review sentences drawn each epoch besides the {train.Count:N0} examples");

        table.Frozen = settings.FreezeEmbeddings || settings.FreezeEpochs > 0;
        table.LearningRateScale = settings.EmbeddingRateScale;
        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        // L2-SP: fine-tuned rows are pulled back towards their pre-trained values, so they stay in the space of the rows training never touches.
        var anchor = settings.EmbeddingAnchor > 0 ? new AnchorRegularizer(table, settings.EmbeddingAnchor) : null;
        var trainer = new Trainer<TokenBatch>(network, optimizer, random.Fork(102), new TrainerOptions(settings.MaxGradientNorm, anchor));
        var runner = new EpochRunner<TokenBatch>(trainer, settings.ToEpochSettings())
        {
            BeforeEpoch = epoch =>
            {
                if (!settings.FreezeEmbeddings && epoch == settings.FreezeEpochs + 1) table.Frozen = false;
                mixed?.NextEpoch();
            },
        };
        var outcome = runner.Run(mixed ?? (IBatchSource<TokenBatch>)batches, random.Fork(103), Select, progress);

        var devMetrics = SentimentEvaluator.Evaluate(model, dev);
        var heldOutMetrics = heldOut is null ? null : SentimentEvaluator.Evaluate(model, heldOut);
        return new SentimentTrainingResult(model, outcome, devMetrics, heldOutMetrics, train.Count, devUnknown, pretrained,
            SentimentEvaluator.Probabilities([model], selection), selection.Select(s => s.Label).ToArray());
    }

    /// <summary>
    /// Trains the freshly initialised network on review documents (IMDB, labelled by their star rating)
    /// with its own optimizer and no weight averaging, keeping the pre-training epoch that scores best
    /// on the selection set; the SST epochs then start from those weights.
    /// </summary>
    private static void Pretrain(SentimentTrainingSettings settings, Classifier<TokenBatch> network, IReadOnlyList<LabelledSentence> documents,
        WordTokenizer tokenizer, Func<string[], int[]> encode, Func<double> select, SeededRandom random, ITrainingProgress progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ids = Tokenize(documents, tokenizer).Select(encode).ToArray();
        progress.Message($"pre-training on {documents.Count:N0} review documents ({ids.Sum(d => (long)d.Length):N0} ids, tokenized in {clock.Elapsed.TotalSeconds:F1}s)");
        var table = ((EmbeddingBag)network.Input).Table;
        table.Frozen = settings.FreezeEmbeddings;
        table.LearningRateScale = settings.PretrainEmbeddingRateScale;
        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        var trainer = new Trainer<TokenBatch>(network, optimizer, random.Fork(104), new TrainerOptions(settings.MaxGradientNorm));
        var epochs = new EpochSettings(settings.PretrainEpochs, settings.BatchSize, settings.PretrainEpochs, LearningRateSchedule.Parse("constant", settings.LearningRate));
        var outcome = new EpochRunner<TokenBatch>(trainer, epochs)
            .Run(new SentenceBatches(ids, documents.Select(d => d.Label).ToArray(), settings.BatchSize), random.Fork(105), select, progress);
        progress.Message(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"pre-training: kept epoch {outcome.BestEpoch} (selection accuracy {outcome.BestMetric:P2}) after {clock.Elapsed.TotalSeconds:F1}s"));
    }

    private static string[][] Tokenize(IReadOnlyList<LabelledSentence> examples, WordTokenizer tokenizer) =>
        examples.AsParallel().AsOrdered().Select(e => tokenizer.Tokenize(e.Text).Select(t => t.Value).ToArray()).ToArray();

    /// <summary>
    /// Training words (most frequent first), the extra words not already in (frequent in-domain and
    /// GloVe words), then (ngrams = 2) training bigrams seen at least bigramMinCount times, then the
    /// "not_" forms of words seen in a negation scope.
    /// </summary>
    public static Vocabulary BuildVocabulary(IReadOnlyList<string[]> trainTokens, IEnumerable<string> extraWords,
        BagFeatures? bag = null, int bigramMinCount = 2)
    {
        bag ??= new BagFeatures();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var bigrams = new Dictionary<string, int>(StringComparer.Ordinal);
        var negated = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tokens in trainTokens)
        {
            foreach (var token in tokens) counts[token] = counts.GetValueOrDefault(token) + 1;
            if (bag.NegationScope && bag.ScopeOperators == 0)
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
        return new Vocabulary(ByFrequency(counts, 1).Concat(extraWords)
            .Concat(ByFrequency(bigrams, bigramMinCount)).Concat(ByFrequency(negated, 1)));
    }

    /// <summary>Pre-trained vectors where found; bigrams and negated words derived from their words; small random vectors elsewhere.</summary>
    public static int InitializeEmbeddings(Parameter table, Vocabulary vocabulary, EmbeddingSources sources, SeededRandom random)
    {
        int found = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var row = table.Row(id);
            string word = vocabulary.WordOf(id);
            if (id == Vocabulary.PaddingId) row.Clear();
            else if (id == Vocabulary.UnknownId) sources.FillUnknown(row);
            else if (word.IndexOf(TextClassifier.BigramSeparator) is int space and > 0)
            {
                // A bigram starts as the mean of its two words (already initialised: words come first).
                TensorPrimitives.Add(table.Row(vocabulary.IdOf(word[..space])), table.Row(vocabulary.IdOf(word[(space + 1)..])), row);
                TensorPrimitives.Multiply(row, 0.5f, row);
            }
            else if (word.StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal)
                     && vocabulary.TryGetId(word[BagFeatures.NegatedPrefix.Length..], out int plain) && plain < id)
            {
                table.Row(plain).CopyTo(row); // a negated word starts where the word is; fine-tuning moves it
            }
            else if (sources.TryFill(word, row, random)) found++;
        }
        return found;
    }
}
