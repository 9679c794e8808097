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

/// <summary>The outcome of an NER run: the shipped tagger and its scores.</summary>
/// <param name="Outcome">The selecting run (its epochs scored on the selection set).</param>
/// <param name="HeldOut">Scores of the selecting run's tagger on the held-out training documents it was selected on (null: selected on dev).</param>
/// <param name="Refit">The retraining on all training documents for the selected epoch count, whose weights are shipped (null: none).</param>
/// <param name="TrainExamples">Sentences the shipped tagger was trained on.</param>
/// <param name="SelectingDev">With a refit: the selecting run's tagger (trained without the held-out documents) scored on dev,
/// so one command measures what the refit adds (null: no refit).</param>
public sealed record NerTrainingResult(EntityTagger Tagger, TrainingOutcome Outcome, NerEvaluation Dev, NerEvaluation? HeldOut,
    int TrainExamples, double DevUnknownWordRate, int PretrainedRows, TrainingOutcome? Refit = null, NerEvaluation? SelectingDev = null);

/// <summary>
/// Trains the window tagger on CoNLL-2003: per token a window of word (GloVe), shape and affix
/// embeddings → ReLU layer(s) with dropout → label scores; either per-token softmax or
/// sentence-level likelihood with learned, BIO-constrained transitions. Adam, mini-batches of whole
/// sentences, early stopping on the selection set's F1 (dev, or held-out training documents).
/// With <see cref="NerTrainingSettings.Refit"/>, a second run with the same seed then trains on all
/// training documents (the held-out ones too) for the selected number of epochs, and that is shipped.
/// </summary>
public static class NerTrainer
{
    public static NerTrainingResult Train(NerTrainingSettings settings, PretrainedEmbeddings glove,
        IReadOnlyList<TaggedSentence> train, IReadOnlyList<TaggedSentence> dev, ITrainingProgress progress)
    {
        if (settings.Ensemble < 1) throw new ArgumentException($"--ensemble must be at least 1, got {settings.Ensemble}.");
        if (settings.Refit && settings.Ensemble > 1)
            throw new ArgumentException("--refit and --ensemble > 1 cannot be combined: each member chooses its own epoch count.");
        if (settings.Refit && settings.HoldOut <= 0)
            throw new ArgumentException("--refit retrains for the epoch count chosen on held-out training documents: it needs --hold-out > 0 (or --refit false to select on dev).");
        var all = train;
        IReadOnlyList<TaggedSentence>? heldOut = null;
        if (settings.HoldOut > 0)
        {
            (train, heldOut) = HoldOut.Split(train, s => s.Document, settings.HoldOut, settings.HoldOutSeed);
            progress.Message($"selection: {heldOut.Count:N0} training sentences ({heldOut.Select(s => s.Document).Distinct().Count()} documents) held out (seed {settings.HoldOutSeed}); dev is scored once, at the end");
        }
        // Word classes depend on GloVe alone, not on the training documents: fitted once for both runs.
        float[]? centroids = null;
        if (settings.Clusters > 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            centroids = WordClusters.Fit(glove, settings.Clusters, settings.ClusterWords, ClusterIterations, new SeededRandom(settings.Seed).Fork(206));
            progress.Message($"word clusters: k-means, {settings.Clusters:N0} clusters over the {Math.Min(settings.ClusterWords > 0 ? settings.ClusterWords : glove.Count, glove.Count):N0} most frequent GloVe words ({clock.Elapsed.TotalSeconds:F1}s)");
        }
        Gazetteer? gazetteer = null;
        if (settings.GazetteerDimension > 0)
        {
            gazetteer = new Gazetteer(GazetteerLists.Read(settings.GazetteerFolder));
            progress.Message($"gazetteer: {string.Join(", ", gazetteer.Categories.Select(c => $"{gazetteer.Lists[c].Length:N0} {c}"))} names from {settings.GazetteerFolder}");
        }
        var selected = Run(settings, glove, centroids, gazetteer, train, heldOut ?? dev, progress);
        if (settings.Ensemble > 1)
        {
            var members = new List<EntityTagger> { selected.Tagger };
            for (int k = 1; k < settings.Ensemble; k++)
            {
                progress.Message($"ensemble member {k + 1} of {settings.Ensemble}: seed {settings.Seed + (ulong)k}");
                members.Add(Run(settings with { Seed = settings.Seed + (ulong)k }, glove, centroids, gazetteer, train, heldOut ?? dev, progress).Tagger);
            }
            // The first member's epochs stand for the run in the report; the ensemble is what is scored and shipped.
            selected = selected with { Tagger = new EntityTagger(members) };
        }
        var heldOutScores = heldOut is null ? null : NerEvaluator.Evaluate(selected.Tagger, heldOut);
        if (!settings.Refit || heldOut is null)
            return new NerTrainingResult(selected.Tagger, selected.Outcome, NerEvaluator.Evaluate(selected.Tagger, dev), heldOutScores,
                train.Count, DevUnknownRate(selected.Tagger.Features, dev), selected.PretrainedRows);

        // Same seed, same settings, all the documents, exactly the epochs the held-out slice chose.
        int epochs = selected.Outcome.BestEpoch;
        progress.Message($"refit: {epochs} epochs on all {all.Count:N0} training sentences (the held-out documents too); these weights are shipped");
        var refit = Run(settings with { Epochs = epochs }, glove, centroids, gazetteer, all, selection: null, progress);
        return new NerTrainingResult(refit.Tagger, selected.Outcome, NerEvaluator.Evaluate(refit.Tagger, dev), heldOutScores,
            all.Count, DevUnknownRate(refit.Tagger.Features, dev), refit.PretrainedRows, refit.Outcome, NerEvaluator.Evaluate(selected.Tagger, dev));
    }

    private sealed record RunResult(EntityTagger Tagger, TrainingOutcome Outcome, int PretrainedRows);

    /// <summary>One training run from the seed: early stopping on <paramref name="selection"/>'s F1, or (null) exactly <see cref="TrainingSettings.Epochs"/> epochs.</summary>
    private static RunResult Run(NerTrainingSettings settings, PretrainedEmbeddings glove, float[]? centroids, Gazetteer? gazetteer, IReadOnlyList<TaggedSentence> train,
        IReadOnlyList<TaggedSentence>? selection, ITrainingProgress progress)
    {
        var labels = BioLabels.Conll;
        var features = BuildFeatures(settings, train, glove, centroids, gazetteer);
        progress.Message($"vocabulary: {features.Words.Count:N0} words, {features.Suffixes?.Count ?? 0:N0} suffixes, {features.Prefixes?.Count ?? 0:N0} prefixes, {features.CasedWords?.Count ?? 0:N0} cased words, {features.Chars?.Count ?? 0:N0} characters");

        var random = new SeededRandom(settings.Seed);
        var network = BuildNetwork(settings, features, glove.Dimension, labels.Count);
        network.Initialize(random.Fork(200));
        var words = ((TaggerInput)network.Input).Window.Tables[0];
        int pretrained = GloveLookup.Initialize(words, features.Words, glove, random.Fork(201));
        progress.Message($"embeddings: {pretrained:N0} of {features.Words.Count:N0} word rows from GloVe");
        words.Frozen = settings.FreezeEmbeddings;
        words.LearningRateScale = settings.EmbeddingRateScale;

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
        Func<double>? evaluate = selection is null ? null : () => NerEvaluator.Evaluate(Tagger(), selection).Constrained.F1;
        var outcome = new EpochRunner<TaggerBatch>(trainer, epochSettings).Run(batches, random.Fork(203), evaluate, progress);
        return new RunResult(Tagger(), outcome, pretrained);
    }

    private static double DevUnknownRate(TaggerFeatures features, IReadOnlyList<TaggedSentence> dev) =>
        dev.Sum(s => s.Words.Count(w => features.WordId(w) == Vocabulary.UnknownId)) / (double)Math.Max(1, dev.Sum(s => s.Words.Length));

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

    /// <summary>Lloyd iterations of the word clustering.</summary>
    public const int ClusterIterations = 15;

    /// <param name="centroids">Word-cluster centroids [settings.Clusters, d] (see <see cref="WordClusters"/>), when clusters are on.</param>
    /// <param name="gazetteer">The name lists, when the gazetteer feature is on.</param>
    public static TaggerFeatures BuildFeatures(NerTrainingSettings settings, IReadOnlyList<TaggedSentence> train, PretrainedEmbeddings glove,
        float[]? centroids = null, Gazetteer? gazetteer = null)
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
                settings.CharFilters, settings.CharWidth, Mentions: settings.Mentions, Clusters: settings.Clusters,
                Gazetteer: settings.GazetteerDimension > 0),
            words,
            affixes ? new Vocabulary(ByFrequency(suffixes, 2)) : null,
            affixes ? new Vocabulary(ByFrequency(prefixes, 2)) : null,
            settings.CasedDimension > 0 ? new Vocabulary(ByFrequency(cased, 2)) : null,
            settings.CharFilters > 0 ? new Vocabulary(ByFrequency(chars, 1)) : null,
            settings.Clusters > 0 ? WordClusters.Assign(words, glove, centroids!, settings.Clusters) : null,
            gazetteer);
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
        if (features.WordClusters is not null) tables.Add(new("input.clusters", features.ClusterRows, settings.ClusterDimension));
        if (features.Gazetteer is not null) tables.Add(new("input.gazetteer", features.Gazetteer.Rows, settings.GazetteerDimension));
        var input = TaggerInput.Create("input", features, tables, settings.CharEmbedding);

        return NetworkBuilder.Build(input, settings, labels);
    }
}
