using System.Diagnostics;
using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>The outcome of an NER run: the best epoch's tagger and its dev scores.</summary>
public sealed record NerTrainingResult(
    Classifier<TokenBatch> Network, TaggerFeatures Features, float[]? Transitions, float[]? Start,
    IReadOnlyList<EpochRecord> Epochs, int BestEpoch, ConllScore Dev, ConllScore DevGreedy,
    double SecondsToBest, double TotalSeconds, double DevUnknownWordRate, int PretrainedRows);

/// <summary>
/// Trains the window tagger on CoNLL-2003: per token a window of word (GloVe), shape and affix
/// embeddings → ReLU layer(s) with dropout → label scores; either per-token softmax or
/// sentence-level likelihood with learned, BIO-constrained transitions. Adam, mini-batches of whole
/// sentences, early stopping on dev F1 (constrained Viterbi decoding).
/// </summary>
public static class NerTrainer
{
    public static NerTrainingResult Train(NerTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<TaggedSentence> train, IReadOnlyList<TaggedSentence> dev, ITrainingProgress progress)
    {
        var labels = BioLabels.Conll;
        var features = BuildFeatures(settings, train, glove);
        progress.Message($"vocabulary: {features.Words.Count:N0} words, {features.Suffixes?.Count ?? 0:N0} suffixes, {features.Prefixes?.Count ?? 0:N0} prefixes");

        var random = new SeededRandom(settings.Seed);
        var network = BuildNetwork(settings, features, glove.Dimension, labels.Count);
        network.Initialize(random.Fork(200));
        var input = (ConcatEmbedding)network.Input;
        int pretrained = InitializeWords(input.Tables[0], features.Words, glove, random.Fork(201));
        progress.Message($"embeddings: {pretrained:N0} of {features.Words.Count:N0} word rows from GloVe");
        if (settings.FreezeEmbeddings) input.Tables[0].Frozen = true;

        var trainSet = Encode(train, features, labels);
        var devSet = Encode(dev, features, labels);
        double devUnknown = devSet.Windows.Length == 0 ? 0 :
            Enumerable.Range(0, devSet.Labels.Length).Count(t => devSet.Windows[t * features.Slots + settings.Window * features.PerToken] == Vocabulary.UnknownId)
            / (double)devSet.Labels.Length;

        Parameter? transitions = settings.Crf ? new Parameter("crf.transitions", labels.Count, labels.Count) : null;
        Parameter? start = settings.Crf ? new Parameter("crf.start", 1, labels.Count) : null;
        var parameters = network.Parameters.Concat(transitions is null ? [] : new[] { transitions, start! }).ToArray();
        var allowed = EntityTagger.AllowedMask(labels);

        var schedule = LearningRateSchedule.Parse(settings.Schedule, settings.LearningRate);
        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        input.Tables[0].LearningRateScale = settings.EmbeddingRateScale;
        var workspace = network.CreateWorkspace(1024);
        var snapshot = new ParameterSnapshot(parameters);
        var ema = settings.Ema > 0 ? new ExponentialMovingAverage(parameters, settings.Ema) : null;
        var order = Enumerable.Range(0, train.Count).ToArray();
        var shuffle = random.Fork(203);
        var dropout = random.Fork(204);
        var context = PassContext.Train(random.Fork(205));
        var epochs = new List<EpochRecord>();
        int bestEpoch = 0;
        double bestF1 = -1, secondsToBest = 0;
        var clock = Stopwatch.StartNew();
        int[] windows = [], batchLabels = [], offsets = [];
        float[] dLogits = [];

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            optimizer.LearningRate = schedule.Rate(epoch - 1);
            shuffle.Shuffle(order.AsSpan());
            int steps = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
            progress.EpochStarted(epoch, steps);
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                var sentences = order.AsSpan(step * settings.BatchSize, Math.Min(settings.BatchSize, train.Count - step * settings.BatchSize));
                int rows = 0;
                foreach (int s in sentences) rows += trainSet.Length(s);
                Grow(ref windows, rows * features.Slots);
                Grow(ref batchLabels, rows);
                Grow(ref offsets, rows + 1);
                Grow(ref dLogits, rows * labels.Count);
                int row = 0;
                foreach (int s in sentences)
                {
                    int first = trainSet.Starts[s], n = trainSet.Length(s);
                    trainSet.Windows.AsSpan(first * features.Slots, n * features.Slots).CopyTo(windows.AsSpan(row * features.Slots));
                    trainSet.Labels.AsSpan(first, n).CopyTo(batchLabels.AsSpan(row));
                    row += n;
                }
                DropWords(windows.AsSpan(0, rows * features.Slots), features, settings.WordDropout, dropout);

                var batch = TokenBatch.FixedWidth(windows.AsMemory(0, rows * features.Slots), rows, features.Slots, offsets);
                var logits = network.Forward(batch, workspace, context);
                var gradient = dLogits.AsSpan(0, rows * labels.Count);
                double loss;
                if (transitions is null)
                {
                    loss = SoftmaxCrossEntropy.ForwardBackward(logits, batchLabels.AsSpan(0, rows), rows, labels.Count, gradient, settings.LabelSmoothing);
                }
                else
                {
                    // Mean sentence negative log-likelihood: each sentence's gradient scaled by 1/sentences.
                    loss = 0;
                    row = 0;
                    foreach (int s in sentences)
                    {
                        int n = trainSet.Length(s);
                        loss += LinearChainCrf.ForwardBackward(logits.Slice(row * labels.Count, n * labels.Count), batchLabels.AsSpan(row, n), n,
                            labels.Count, transitions.Value, start!.Value, allowed, gradient.Slice(row * labels.Count, n * labels.Count),
                            transitions.Grad, start.Grad);
                        row += n;
                    }
                    float scale = 1f / sentences.Length;
                    System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, scale, gradient);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(transitions.Grad, scale, transitions.Grad);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(start!.Grad, scale, start.Grad);
                    loss /= sentences.Length;
                }
                network.Backward(batch, gradient, workspace);
                if (settings.MaxGradientNorm > 0) GradientClipping.ClipByGlobalNorm(parameters, settings.MaxGradientNorm);
                optimizer.Step(parameters);
                foreach (var p in parameters) p.ZeroGrad();
                ema?.Update();
                lossSum += loss;
                progress.StepFinished(step + 1, lossSum / (step + 1));
            }

            double trainSeconds = epochClock.Elapsed.TotalSeconds;
            ema?.Swap(); // evaluate (and keep, if best) the averaged weights
            var (score, _) = Evaluate(network, features, labels, transitions?.Value, start?.Value, dev, devSet);
            var record = new EpochRecord(epoch, lossSum / steps, score.F1, epochClock.Elapsed.TotalSeconds, optimizer.LearningRate, trainSeconds);
            epochs.Add(record);
            bool improved = score.F1 > bestF1;
            if (improved)
            {
                bestF1 = score.F1;
                bestEpoch = epoch;
                secondsToBest = clock.Elapsed.TotalSeconds;
                snapshot.Capture();
            }
            ema?.Swap();
            progress.EpochFinished(record, improved);
            if (epoch - bestEpoch >= settings.Patience) break;
        }

        snapshot.Restore();
        var (final, greedy) = Evaluate(network, features, labels, transitions?.Value, start?.Value, dev, devSet);
        return new NerTrainingResult(network, features, transitions?.Value, start?.Value, epochs, bestEpoch, final, greedy,
            secondsToBest, clock.Elapsed.TotalSeconds, devUnknown, pretrained);
    }

    /// <summary>Window features of every token of a corpus, sentences back to back.</summary>
    public sealed record EncodedCorpus(int[] Windows, int[] Labels, int[] Starts)
    {
        public int Length(int sentence) => Starts[sentence + 1] - Starts[sentence];
    }

    public static EncodedCorpus Encode(IReadOnlyList<TaggedSentence> sentences, TaggerFeatures features, BioLabels labels)
    {
        var starts = new int[sentences.Count + 1];
        for (int s = 0; s < sentences.Count; s++) starts[s + 1] = starts[s] + sentences[s].Words.Length;
        var windows = new int[starts[^1] * features.Slots];
        var tags = new int[starts[^1]];
        var tokenFeatures = new int[sentences.Max(s => s.Words.Length) * features.PerToken];
        for (int s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            features.TokenFeatures(sentence.Words, tokenFeatures);
            features.Windows(tokenFeatures, sentence.Words.Length, windows.AsSpan(starts[s] * features.Slots, sentence.Words.Length * features.Slots));
            for (int t = 0; t < sentence.Words.Length; t++) tags[starts[s] + t] = labels.Index[sentence.Tags[t]];
        }
        return new EncodedCorpus(windows, tags, starts);
    }

    /// <summary>Dev scores with constrained Viterbi (the shipped decoding) and with greedy argmax.</summary>
    public static (ConllScore Constrained, ConllScore Greedy) Evaluate(Classifier<TokenBatch> network, TaggerFeatures features, BioLabels labels,
        float[]? transitions, float[]? start, IReadOnlyList<TaggedSentence> sentences, EncodedCorpus corpus)
    {
        var tagger = new EntityTagger(network, new WordTokenizer(TokenizerSettings.Ner), features, labels, transitions, start,
            new ModelInfo("eval", EntityTagger.Kind, "", "", labels.Labels, features.Words.Count, [], ""));
        var workspace = network.CreateWorkspace(4096);
        var constrained = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        var greedy = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        int s = 0;
        while (s < sentences.Count)
        {
            // Up to ~4096 windows per forward pass, whole sentences only.
            int first = s, rows = 0;
            while (s < sentences.Count && (rows == 0 || rows + corpus.Length(s) <= 4096)) rows += corpus.Length(s++);
            var batch = TokenBatch.FixedWidth(corpus.Windows.AsMemory(corpus.Starts[first] * features.Slots, rows * features.Slots),
                rows, features.Slots, new int[rows + 1]);
            var logits = network.Forward(batch, workspace, PassContext.Inference).ToArray();
            int row = 0;
            for (int k = first; k < s; k++)
            {
                int n = corpus.Length(k);
                var scores = logits.AsSpan(row * labels.Count, n * labels.Count);
                var path = tagger.Decode(scores, n, new float[n * labels.Count]);
                var argmax = BioDecoder.Greedy(scores, n, labels.Count);
                constrained.Add((sentences[k].Tags, path.Select(i => labels.Labels[i]).ToArray()));
                greedy.Add((sentences[k].Tags, argmax.Select(i => labels.Labels[i]).ToArray()));
                row += n;
            }
        }
        return (ConllScorer.Score(constrained), ConllScorer.Score(greedy));
    }

    public static TaggerFeatures BuildFeatures(NerTrainingSettings settings, IReadOnlyList<TaggedSentence> train, PretrainedEmbeddings glove)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var suffixes = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in train)
        {
            foreach (var word in sentence.Words)
            {
                string key = WordKeys.Primary(word);
                if (glove.RankOf(key) < 0) key = WordKeys.DigitShape(key);
                counts[key] = counts.GetValueOrDefault(key) + 1;
                string suffix = WordKeys.Suffix(word, settings.AffixLength), prefix = WordKeys.Prefix(word, settings.AffixLength);
                suffixes[suffix] = suffixes.GetValueOrDefault(suffix) + 1;
                prefixes[prefix] = prefixes.GetValueOrDefault(prefix) + 1;
            }
        }
        static IEnumerable<string> ByFrequency(Dictionary<string, int> d, int minCount) =>
            d.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
        var words = new Vocabulary(ByFrequency(counts, 1).Concat(glove.Words.Take(settings.GloveWords)));
        bool affixes = settings.AffixDimension > 0 && settings.AffixLength > 0;
        return new TaggerFeatures(
            new TaggerFeatureSettings(settings.Window, affixes, affixes, settings.AffixLength,
                settings.CharNgrams, settings.CharNgrams > 0 ? settings.CharBuckets : 0),
            words,
            affixes ? new Vocabulary(ByFrequency(suffixes, 2)) : null,
            affixes ? new Vocabulary(ByFrequency(prefixes, 2)) : null);
    }

    public static Classifier<TokenBatch> BuildNetwork(NerTrainingSettings settings, TaggerFeatures features, int wordDimension, int labels)
    {
        var tables = new List<TableSpec>
        {
            new("input.words", features.Words.Count, wordDimension),
            new("input.shapes", WordShape.Count, settings.ShapeDimension),
        };
        if (features.Suffixes is not null) tables.Add(new("input.suffixes", features.Suffixes.Count, settings.AffixDimension));
        if (features.Prefixes is not null) tables.Add(new("input.prefixes", features.Prefixes.Count, settings.AffixDimension));
        if (features.Settings.CharNgrams > 0) tables.Add(new("input.chars", features.CharRows, settings.CharDimension));
        var input = new ConcatEmbedding("input", tables, features.SlotTables, features.SlotGroups);

        var layers = new List<ILayer>();
        int width = input.OutputSize;
        if (settings.InputDropout > 0) layers.Add(new Dropout("input.dropout", width, settings.InputDropout));
        for (int i = 0; i < settings.Hidden.Length; i++)
        {
            layers.Add(new Dense($"hidden{i + 1}", width, settings.Hidden[i], settings.Activation));
            if (settings.Dropout > 0) layers.Add(new Dropout($"dropout{i + 1}", settings.Hidden[i], settings.Dropout));
            width = settings.Hidden[i];
        }
        layers.Add(new Dense("output", width, labels));
        return new Classifier<TokenBatch>(input, layers);
    }

    public static int InitializeWords(Parameter table, Vocabulary words, PretrainedEmbeddings glove, SeededRandom random)
    {
        int found = 0;
        for (int id = 0; id < words.Count; id++)
        {
            var row = table.Row(id);
            if (id == Vocabulary.PaddingId) row.Clear();
            else if (id == Vocabulary.UnknownId) glove.Unknown.CopyTo(row);
            else if (GloveLookup.TryFill(glove, words.WordOf(id), row)) found++;
            else random.FillGaussian(row, 0.1f);
        }
        return found;
    }

    // Replaces the word id of each real (non-padding) token by the unknown word with probability p.
    private static void DropWords(Span<int> windows, TaggerFeatures features, float p, SeededRandom random)
    {
        if (p <= 0) return;
        for (int slot = 0; slot < windows.Length; slot += features.PerToken)
            if (windows[slot] != Vocabulary.PaddingId && random.NextFloat() < p) windows[slot] = Vocabulary.UnknownId;
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, buffer.Length * 2)];
    }
}
