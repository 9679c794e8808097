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
        progress.Message($"vocabulary: {features.Words.Count:N0} words, {features.Suffixes?.Count ?? 0:N0} suffixes, {features.Prefixes?.Count ?? 0:N0} prefixes, {features.CasedWords?.Count ?? 0:N0} cased words, {features.Chars?.Count ?? 0:N0} characters");

        var random = new SeededRandom(settings.Seed);
        var network = BuildNetwork(settings, features, glove.Dimension, labels.Count);
        network.Initialize(random.Fork(200));
        var words = ((TaggerInput)network.Input).Window.Tables[0];
        int pretrained = GloveLookup.Initialize(words, features.Words, glove, random.Fork(201));
        progress.Message($"embeddings: {pretrained:N0} of {features.Words.Count:N0} word rows from GloVe");
        words.Frozen = settings.FreezeEmbeddings;
        words.LearningRateScale = settings.EmbeddingRateScale;
        double devUnknown = dev.Sum(s => s.Words.Count(w => features.WordId(w) == Vocabulary.UnknownId)) / (double)Math.Max(1, dev.Sum(s => s.Words.Length));

        var crf = settings.Crf ? new SentenceCrfLoss(labels.Count, labels.AllowedMask()) : null;
        var tokenizer = new WordTokenizer(TokenizerSettings.Ner, features.Words);
        // Built anew for each evaluation: the decoder exponentiates the current transitions. No cached projections (weights change).
        EntityTagger Tagger() => new(network, tokenizer, features, labels, crf?.Transitions.Value, crf?.Start.Value, precomputedRows: 0);
        // With mentions pooled, a batch is whole documents (a token's other mentions must be in it): one per step by default.
        var epochSettings = settings.ToEpochSettings() with { BatchSize = settings.Mentions ? settings.DocumentsPerBatch : settings.BatchSize };

        var optimizer = Optimizer.Create(settings.Optimizer, settings.LearningRate, settings.WeightDecay);
        var trainer = new Trainer<TaggerBatch>(network, optimizer, random.Fork(205), new TrainerOptions(settings.MaxGradientNorm),
            crf ?? (ITrainingLoss)new SoftmaxCrossEntropyLoss(settings.LabelSmoothing));
        var batches = new TaggerBatches(Encode(train, features, labels), features, settings.WordDropout, random.Fork(204), documents: settings.Mentions);
        var selection = heldOut ?? dev;
        var outcome = new EpochRunner<TaggerBatch>(trainer, epochSettings)
            .Run(batches, random.Fork(203), () => NerEvaluator.Evaluate(Tagger(), selection).Constrained.F1, progress);

        var tagger = Tagger();
        var devScores = NerEvaluator.Evaluate(tagger, dev);
        var heldOutScores = heldOut is null ? null : NerEvaluator.Evaluate(tagger, heldOut);
        return new NerTrainingResult(tagger, outcome, devScores, heldOutScores, train.Count, devUnknown, pretrained);
    }

    /// <summary>Features of every token of a corpus (documents as the reader numbered them) and their label ids.</summary>
    public sealed record EncodedCorpus(TaggerEncoding Encoding, int[] Labels);

    public static EncodedCorpus Encode(IReadOnlyList<TaggedSentence> sentences, TaggerFeatures features, BioLabels labels)
    {
        var encoding = new TaggerEncoding(features);
        int s = 0;
        while (s < sentences.Count)
        {
            int first = s++;
            while (s < sentences.Count && sentences[s].Document == sentences[first].Document) s++;
            encoding.AddDocument(sentences.Skip(first).Take(s - first).Select(x => (IReadOnlyList<string>)x.Words).ToArray());
        }
        var tags = sentences.SelectMany(x => x.Tags).Select(tag => labels.Index[tag]).ToArray();
        return new EncodedCorpus(encoding, tags);
    }

    public static TaggerFeatures BuildFeatures(NerTrainingSettings settings, IReadOnlyList<TaggedSentence> train, PretrainedEmbeddings glove)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var cased = new Dictionary<string, int>(StringComparer.Ordinal);
        var chars = new Dictionary<string, int>(StringComparer.Ordinal);
        var suffixes = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in train)
        {
            foreach (var word in sentence.Words)
            {
                string key = WordKeys.Primary(word);
                if (glove.RankOf(key) < 0) key = WordKeys.DigitShape(key);
                counts[key] = counts.GetValueOrDefault(key) + 1;
                string casedKey = WordKeys.DigitShape(word);
                cased[casedKey] = cased.GetValueOrDefault(casedKey) + 1;
                foreach (var rune in word.EnumerateRunes()) chars[rune.ToString()] = chars.GetValueOrDefault(rune.ToString()) + 1;
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
                settings.CharNgrams, settings.CharNgrams > 0 ? settings.CharBuckets : 0, settings.CasedDimension > 0, settings.ContextAlpha,
                settings.CharFilters, settings.CharWidth, Mentions: settings.Mentions),
            words,
            affixes ? new Vocabulary(ByFrequency(suffixes, 2)) : null,
            affixes ? new Vocabulary(ByFrequency(prefixes, 2)) : null,
            settings.CasedDimension > 0 ? new Vocabulary(ByFrequency(cased, 2)) : null,
            settings.CharFilters > 0 ? new Vocabulary(ByFrequency(chars, 1)) : null);
    }

    public static Classifier<TaggerBatch> BuildNetwork(NerTrainingSettings settings, TaggerFeatures features, int wordDimension, int labels)
    {
        var tables = new List<TableSpec>
        {
            new("input.words", features.Words.Count, wordDimension),
            new("input.shapes", WordShape.Count, settings.ShapeDimension),
        };
        if (features.Suffixes is not null) tables.Add(new("input.suffixes", features.Suffixes.Count, settings.AffixDimension));
        if (features.Prefixes is not null) tables.Add(new("input.prefixes", features.Prefixes.Count, settings.AffixDimension));
        if (features.Settings.CharNgrams > 0) tables.Add(new("input.chars", features.CharRows, settings.CharDimension));
        if (features.CasedWords is not null) tables.Add(new("input.cased", features.CasedWords.Count, settings.CasedDimension));
        var input = TaggerInput.Create("input", features, tables, settings.CharEmbedding);

        return NetworkBuilder.Build(input, settings, labels);
    }
}
