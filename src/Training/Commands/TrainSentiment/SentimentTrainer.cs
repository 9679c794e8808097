using System.Diagnostics;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>The outcome of a sentiment run: the best epoch's network and how it was reached.</summary>
public sealed record SentimentTrainingResult(
    Classifier<TokenBatch> Network, Vocabulary Vocabulary, IReadOnlyList<EpochRecord> Epochs, int BestEpoch,
    ClassificationMetrics Dev, double SecondsToBest, double TotalSeconds, double DevUnknownTokenRate, int PretrainedRows);

/// <summary>
/// Trains the Deep Averaging Network on SST: GloVe-initialised embeddings averaged per sentence
/// (with word dropout), ReLU layers with dropout, softmax; Adam on shuffled mini-batches; early
/// stopping on dev accuracy, keeping the best epoch's weights.
/// </summary>
public static class SentimentTrainer
{
    public static SentimentTrainingResult Train(SentimentTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<LabelledSentence> train, IReadOnlyList<LabelledSentence> dev, ITrainingProgress progress)
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
        var trainTokens = train.Select(s => tokenizer.Tokenize(s.Text).Select(t => t.Value).ToArray()).ToArray();
        var bag = new BagFeatures(settings.Ngrams, settings.NegationScope);
        var vocabulary = BuildVocabulary(trainTokens, glove, settings.GloveWords, bag, settings.BigramMinCount);
        progress.Message($"vocabulary: {vocabulary.Count:N0} words ({settings.GloveWords:N0} most frequent GloVe words + training words)");

        var random = new SeededRandom(settings.Seed);
        var network = BuildNetwork(settings, vocabulary.Count, glove.Dimension);
        network.Initialize(random.Fork(100));
        int pretrained = InitializeEmbeddings(((EmbeddingBag)network.Input).Table, vocabulary, glove, random.Fork(101));
        int bigrams = vocabulary.Words.Count(w => w.Contains(TextClassifier.BigramSeparator));
        int negatedWords = vocabulary.Words.Count(w => w.StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal));
        if (negatedWords > 0) progress.Message($"negation scope: {negatedWords:N0} \"not_\" words from training, initialised from their words");
        if (bigrams > 0) progress.Message($"bigrams: {bigrams:N0} (seen at least {settings.BigramMinCount} times), initialised as the mean of their words");
        progress.Message($"embeddings: {pretrained:N0} of {vocabulary.Count:N0} rows from GloVe, the rest random");
        var table = ((EmbeddingBag)network.Input).Table;
        table.Frozen = settings.FreezeEmbeddings || settings.FreezeEpochs > 0;
        var anchor = settings.EmbeddingAnchor > 0 ? (float[])table.Value.Clone() : null;

        int[] Encode(string[] tokens)
        {
            var ids = new List<int>(tokens.Length * 2);
            TextClassifier.EncodeIds(vocabulary, tokens, bag, ids);
            return ids.ToArray();
        }
        var trainIds = trainTokens.Select(Encode).ToArray();
        var trainLabels = train.Select(s => s.Label).ToArray();
        var devTokens = dev.Select(s => tokenizer.Tokenize(s.Text).Select(t => t.Value).ToArray()).ToArray();
        var devIds = devTokens.Select(Encode).ToArray();
        var devLabels = dev.Select(s => s.Label).ToArray();
        double devUnknown = devTokens.Sum(tokens => tokens.Count(t => !vocabulary.Contains(t))) / (double)Math.Max(1, devTokens.Sum(t => t.Length));

        var schedule = LearningRateSchedule.Parse(settings.Schedule, settings.LearningRate);
        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        ((EmbeddingBag)network.Input).Table.LearningRateScale = settings.EmbeddingRateScale;
        var trainer = new ClassifierTrainer<TokenBatch>(network, optimizer, random.Fork(102), new TrainerOptions(settings.MaxGradientNorm))
        {
            // L2-SP: fine-tuned rows are pulled back towards GloVe, so they stay in the space of the rows training never touches.
            BeforeUpdate = anchor is null ? null : () =>
            {
                var rows = table.TouchedRows!.Rows;
                for (int r = 0; r < rows.Count; r++)
                {
                    int row = rows[r];
                    var grad = table.GradRow(row);
                    var delta = new Span<float>(anchor, row * table.Cols, table.Cols);
                    for (int k = 0; k < grad.Length; k++) grad[k] += settings.EmbeddingAnchor * (table.Value[row * table.Cols + k] - delta[k]);
                }
            },
        };
        var snapshot = new ParameterSnapshot(network.Parameters);
        var ema = settings.Ema > 0 ? new ExponentialMovingAverage(network.Parameters, settings.Ema) : null;
        var order = Enumerable.Range(0, train.Count).ToArray();
        var shuffle = random.Fork(103);
        var batch = new BatchBuilder(settings.BatchSize);
        var epochs = new List<EpochRecord>();
        int bestEpoch = 0;
        double bestAccuracy = -1, secondsToBest = 0;
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            optimizer.LearningRate = schedule.Rate(epoch - 1);
            if (!settings.FreezeEmbeddings && epoch == settings.FreezeEpochs + 1) table.Frozen = false;
            shuffle.Shuffle(order.AsSpan());
            int steps = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
            progress.EpochStarted(epoch, steps);
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                var rows = order.AsSpan(step * settings.BatchSize, Math.Min(settings.BatchSize, train.Count - step * settings.BatchSize));
                var (x, labels) = batch.Build(rows, trainIds, trainLabels);
                lossSum += trainer.Step(x, labels);
                ema?.Update();
                progress.StepFinished(step + 1, lossSum / (step + 1));
            }

            double trainSeconds = epochClock.Elapsed.TotalSeconds;
            ema?.Swap(); // evaluate (and keep, if best) the averaged weights
            double accuracy = Accuracy(network, devIds, devLabels);
            var record = new EpochRecord(epoch, lossSum / steps, accuracy, epochClock.Elapsed.TotalSeconds, optimizer.LearningRate, trainSeconds);
            epochs.Add(record);
            bool improved = accuracy > bestAccuracy;
            if (improved)
            {
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                secondsToBest = clock.Elapsed.TotalSeconds;
                snapshot.Capture();
            }
            ema?.Swap();
            progress.EpochFinished(record, improved);
            if (epoch - bestEpoch >= settings.Patience) break;
        }

        snapshot.Restore();
        var predictions = Predict(network, devIds);
        var metrics = new ClassificationMetrics(SstReader.Labels, devLabels, predictions);
        return new SentimentTrainingResult(network, vocabulary, epochs, bestEpoch, metrics, secondsToBest, clock.Elapsed.TotalSeconds, devUnknown, pretrained);
    }

    /// <summary>Training words (most frequent first), then the most frequent GloVe words not already in.</summary>
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

    public static Classifier<TokenBatch> BuildNetwork(SentimentTrainingSettings settings, int vocabulary, int dimension)
    {
        var layers = new List<ILayer>();
        int width = dimension;
        if (settings.InputDropout > 0) layers.Add(new Dropout("input.dropout", width, settings.InputDropout));
        for (int i = 0; i < settings.Hidden.Length; i++)
        {
            layers.Add(new Dense($"hidden{i + 1}", width, settings.Hidden[i], settings.Activation));
            if (settings.Dropout > 0) layers.Add(new Dropout($"dropout{i + 1}", settings.Hidden[i], settings.Dropout));
            width = settings.Hidden[i];
        }
        layers.Add(new Dense("output", width, SstReader.Labels.Count));
        return new Classifier<TokenBatch>(new EmbeddingBag("embedding", vocabulary, dimension, settings.WordDropout), layers);
    }

    /// <summary>GloVe vectors where found; small random vectors elsewhere; zeros for padding. Returns rows found.</summary>
    public static int InitializeEmbeddings(Parameter table, Vocabulary vocabulary, PretrainedEmbeddings glove, SeededRandom random)
    {
        int found = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var row = table.Row(id);
            if (id == Vocabulary.PaddingId) row.Clear();
            else if (id == Vocabulary.UnknownId) glove.Unknown.CopyTo(row);
            else if (vocabulary.WordOf(id).IndexOf(TextClassifier.BigramSeparator) is int space and > 0)
            {
                // A bigram starts as the mean of its two words (already initialised: words come first).
                string bigram = vocabulary.WordOf(id);
                System.Numerics.Tensors.TensorPrimitives.Add(table.Row(vocabulary.IdOf(bigram[..space])), table.Row(vocabulary.IdOf(bigram[(space + 1)..])), row);
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, 0.5f, row);
            }
            else if (vocabulary.WordOf(id).StartsWith(BagFeatures.NegatedPrefix, StringComparison.Ordinal)
                     && vocabulary.TryGetId(vocabulary.WordOf(id)[BagFeatures.NegatedPrefix.Length..], out int word) && word < id)
            {
                table.Row(word).CopyTo(row); // a negated word starts where the word is; fine-tuning moves it
            }
            else if (GloveLookup.TryFill(glove, vocabulary.WordOf(id), row)) found++;
            else random.FillGaussian(row, 0.1f);
        }
        return found;
    }

    public static double Accuracy(Classifier<TokenBatch> network, int[][] ids, int[] labels)
    {
        var predictions = Predict(network, ids);
        return predictions.Where((p, i) => p == labels[i]).Count() / (double)labels.Length;
    }

    public static int[] Predict(Classifier<TokenBatch> network, int[][] ids)
    {
        var predictions = new int[ids.Length];
        var workspace = network.CreateWorkspace(256);
        var batch = new BatchBuilder(256);
        var allRows = Enumerable.Range(0, ids.Length).ToArray();
        for (int start = 0; start < ids.Length; start += 256)
        {
            var rows = allRows.AsSpan(start, Math.Min(256, ids.Length - start));
            var (x, _) = batch.Build(rows, ids, null);
            var p = network.PredictProbabilities(x, workspace);
            for (int r = 0; r < rows.Length; r++)
            {
                var row = p.Slice(r * network.Classes, network.Classes);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                predictions[start + r] = best;
            }
        }
        return predictions;
    }
}
