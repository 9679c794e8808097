using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Core.Training;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>The outcome of an NER run: the best epoch's tagger and its scores.</summary>
/// <param name="HeldOut">Scores on the held-out training documents the epoch was selected on (null: selected on dev).</param>
public sealed record NerTrainingResult(EntityTagger Tagger, TrainingOutcome Outcome, NerEvaluation Dev, NerEvaluation? HeldOut,
    int TrainExamples, double DevUnknownWordRate, int PretrainedRows);

/// <summary>
/// Trains the window tagger on CoNLL-2003: per token a window of word (GloVe), shape and affix
/// embeddings → ReLU layer(s) with dropout → label scores; either per-token softmax or
/// sentence-level likelihood with learned, BIO-constrained transitions. Adam, mini-batches of whole
/// sentences, early stopping on the selection set's F1 (dev, or held-out training documents).
/// </summary>
public static class NerTrainer
{
    public static NerTrainingResult Train(NerTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<TaggedSentence> train, IReadOnlyList<TaggedSentence> dev, ITrainingProgress progress)
    {
        IReadOnlyList<TaggedSentence>? heldOut = null;
        if (settings.HoldOut > 0)
        {
            (train, heldOut) = HoldOut.Split(train, s => s.Document, settings.HoldOut, settings.HoldOutSeed);
            progress.Message($"selection: {heldOut.Count:N0} training sentences ({heldOut.Select(s => s.Document).Distinct().Count()} documents) held out (seed {settings.HoldOutSeed}); dev is scored once, at the end");
        }
        var labels = BioLabels.Conll;
        var features = BuildFeatures(settings, train, glove);
        progress.Message($"vocabulary: {features.Words.Count:N0} words, {features.Suffixes?.Count ?? 0:N0} suffixes, {features.Prefixes?.Count ?? 0:N0} prefixes");

        var random = new SeededRandom(settings.Seed);
        var network = BuildNetwork(settings, features, glove.Dimension, labels.Count);
        network.Initialize(random.Fork(200));
        var words = ((ConcatEmbedding)network.Input).Tables[0];
        int pretrained = GloveLookup.Initialize(words, features.Words, glove, random.Fork(201));
        progress.Message($"embeddings: {pretrained:N0} of {features.Words.Count:N0} word rows from GloVe");
        words.Frozen = settings.FreezeEmbeddings;
        words.LearningRateScale = settings.EmbeddingRateScale;
        double devUnknown = dev.Sum(s => s.Words.Count(w => features.WordId(w) == Vocabulary.UnknownId)) / (double)Math.Max(1, dev.Sum(s => s.Words.Length));

        var crf = settings.Crf ? new SentenceCrfLoss(labels.Count, labels.AllowedMask()) : null;
        var tokenizer = new WordTokenizer(TokenizerSettings.Ner, features.Words);
        // Built anew for each evaluation: the decoder exponentiates the current transitions. No cached projections (weights change).
        EntityTagger Tagger() => new(network, tokenizer, features, labels, crf?.Transitions.Value, crf?.Start.Value, precomputedRows: 0);

        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        var trainer = new Trainer<TokenBatch>(network, optimizer, random.Fork(205), new TrainerOptions(settings.MaxGradientNorm),
            crf ?? (ITrainingLoss)new SoftmaxCrossEntropyLoss(settings.LabelSmoothing));
        var batches = new WindowBatches(Encode(train, features, labels), features, settings.WordDropout, random.Fork(204));
        var selection = heldOut ?? dev;
        var outcome = new EpochRunner<TokenBatch>(trainer, settings.ToEpochSettings())
            .Run(batches, random.Fork(203), () => NerEvaluator.Evaluate(Tagger(), selection).Constrained.F1, progress);

        var tagger = Tagger();
        var devScores = NerEvaluator.Evaluate(tagger, dev);
        var heldOutScores = heldOut is null ? null : NerEvaluator.Evaluate(tagger, heldOut);
        return new NerTrainingResult(tagger, outcome, devScores, heldOutScores, train.Count, devUnknown, pretrained);
    }

    /// <summary>Window features of every token of a corpus, sentences back to back.</summary>
    public sealed record EncodedCorpus(int[] Windows, int[] Labels, int[] Starts)
    {
        public int Length(int sentence) => Starts[sentence + 1] - Starts[sentence];
    }

    public static EncodedCorpus Encode(IReadOnlyList<TaggedSentence> sentences, TaggerFeatures features, BioLabels labels)
    {
        var (windows, starts) = features.Encode(sentences.Select(s => (IReadOnlyList<string>)s.Words).ToArray());
        var tags = sentences.SelectMany(s => s.Tags).Select(tag => labels.Index[tag]).ToArray();
        return new EncodedCorpus(windows, tags, starts);
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

        return NetworkBuilder.Build(input, settings, labels);
    }
}
