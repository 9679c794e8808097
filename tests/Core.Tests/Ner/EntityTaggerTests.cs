using System.Text.Json.Nodes;
using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Ner;

public sealed class EntityTaggerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-tagger-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private static (Classifier<TaggerBatch> Network, TaggerFeatures Features) Build(ulong seed, int charNgrams = 4, bool extras = false)
    {
        var words = new Vocabulary(["angela", "merkel", "visited", "paris", ".", "the", "eu"]);
        var suffixes = new Vocabulary(["ela", "kel", "ted", "ris"]);
        var cased = new Vocabulary(["Angela", "Merkel", "EU", "the"]);
        var chars = new Vocabulary(["A", "n", "g", "e", "l", "a", "M", "r", "k", "E", "U"]);
        var features = new TaggerFeatures(new TaggerFeatureSettings(Window: 2, Suffix: true, Prefix: false,
            CharNgrams: charNgrams, CharBuckets: charNgrams > 0 ? 50 : 0, CasedWords: extras, ContextAlpha: extras ? 0.7f : 0,
            CharFilters: extras ? 5 : 0, Mentions: extras, Clusters: extras ? 3 : 0, Gazetteer: extras), words, suffixes, null, cased, chars,
            extras ? [0, 1, 2, 3, 4, 2, 3, 1, 4] : null, extras ? TestGazetteer : null);
        var tables = new List<TableSpec> { new("input.words", words.Count, 6), new("input.shapes", WordShape.Count, 3), new("input.suffixes", suffixes.Count, 2) };
        if (charNgrams > 0) tables.Add(new("input.chars", features.CharRows, 4));
        if (extras) tables.Add(new("input.cased", cased.Count, 3));
        if (extras) tables.Add(new("input.clusters", features.ClusterRows, 2));
        if (extras) tables.Add(new("input.gazetteer", features.Gazetteer!.Rows, 2));
        var input = TaggerInput.Create("input", features, tables, charDimension: 4);
        var network = new Classifier<TaggerBatch>(input,
            [new Dropout("input.dropout", input.OutputSize, 0.3f), new Dense("hidden1", input.OutputSize, 12, Activation.Relu),
             new Dropout("dropout1", 12, 0.5f), new Dense("output", 12, BioLabels.Conll.Count)]);
        network.Initialize(new SeededRandom(seed));
        return (network, features);
    }

    private static readonly Gazetteer TestGazetteer = new(new Dictionary<string, string[]>
    {
        ["place"] = ["Paris", "Rio de Janeiro"], ["given-name"] = ["Angela", "Paris"], ["country"] = ["EU"],
    });

    private EntityTagger SaveAndLoad(bool crf, int precomputedRows = EntityTagger.DefaultPrecomputedRows, bool extras = false)
    {
        var (network, features) = Build(5, extras: extras);
        var random = new SeededRandom(6);
        float[]? transitions = crf ? new float[81] : null, start = crf ? new float[9] : null;
        if (crf) { random.FillUniform(transitions!, -1, 1); random.FillUniform(start!, -1, 1); }
        string path = Path.Combine(_directory, $"ner-{crf}-{extras}.ckpt");
        EntityTagger.Save(path, network, features, BioLabels.Conll, transitions, start, "ner", new JsonObject(), new JsonObject());
        var loaded = EntityTagger.Load(path);
        return precomputedRows == EntityTagger.DefaultPrecomputedRows ? loaded
            : new EntityTagger(loaded.Network, loaded.Tokenizer, loaded.Features, loaded.Labels, loaded.Transitions, loaded.Start, loaded.Info, precomputedRows);
    }

    // The fast path keeps its cached projections in half precision (11 significant bits): scores of order 0.1–1
    // move by ~1e-5 here; a wrong block, position or id would move them by orders of magnitude more.
    private const double HalfPrecisionTolerance = 5e-4;

    [Theory]
    [InlineData(2048, false)] // every row cached
    [InlineData(3, false)]    // most rows projected on the fly
    [InlineData(2048, true)]  // with sentence context, characters, cased words, word clusters, gazetteer and mentions
    [InlineData(3, true)]
    public void PrecomputedFirstLayer_GivesTheSameScoresAsThePlainNetwork(int cachedRows, bool extras)
    {
        var fast = SaveAndLoad(crf: false, precomputedRows: cachedRows, extras: extras);
        var plain = new EntityTagger(fast.Network, fast.Tokenizer, fast.Features, fast.Labels, null, null, fast.Info, precomputedRows: 0);
        Assert.True(fast.PrecomputedBytes > 0);
        Assert.Equal(0, plain.PrecomputedBytes);
        string[][] document = [["Angela", "Merkel", "visited", "Paris", "and", "the", "EU", "."], ["Merkel", "left", "PARIS"], ["Hi"]];
        int[] documents = [0, 0, 0];
        var fastScores = fast.Emissions(document, documents);
        var plainScores = plain.Emissions(document, documents);
        for (int s = 0; s < document.Length; s++)
            for (int i = 0; i < fastScores[s].Length; i++) Assert.Equal(plainScores[s][i], fastScores[s][i], HalfPrecisionTolerance);
    }

    [Fact]
    public void SaveAndLoad_WithWordClusters_KeepsEachWordsCluster()
    {
        var tagger = SaveAndLoad(crf: true, extras: true);
        Assert.Equal([0, 1, 2, 3, 4, 2, 3, 1, 4], tagger.Features.WordClusters!);
        var ids = new int[tagger.Features.PerToken * 2];
        tagger.Features.TokenFeatures(["Merkel", "Zürich"], ids);
        int cluster = tagger.Features.PerToken - 2; // the gazetteer id comes last
        Assert.Equal(3, ids[cluster]);                              // "merkel" is word 3
        Assert.Equal(1, ids[tagger.Features.PerToken + cluster]);   // an unknown word has no vector: row 1
    }

    [Fact]
    public void SaveAndLoad_WithGazetteer_KeepsTheNameListsAndTheirMatches()
    {
        var tagger = SaveAndLoad(crf: true, extras: true);
        var gazetteer = tagger.Features.Gazetteer!;
        Assert.Equal(["country", "given-name", "place"], gazetteer.Categories);
        Assert.Equal(["Paris", "Rio de Janeiro"], gazetteer.Lists["place"]);
        var ids = new int[tagger.Features.PerToken * 3];
        tagger.Features.TokenFeatures(["Paris", "and", "EU"], ids);
        int last = tagger.Features.PerToken - 1;
        Assert.Equal(1 + 0b110, ids[last]);                               // Paris: given name and place
        Assert.Equal(1, ids[tagger.Features.PerToken + last]);            // "and": no list
        Assert.Equal(1 + 0b001, ids[2 * tagger.Features.PerToken + last]); // EU: country
    }

    [Theory]
    [InlineData(EntityTagger.DefaultPrecomputedRows)]
    [InlineData(3)]
    public void Ensemble_SavedAndLoaded_ScoresTheMeanOfItsMembers(int cachedRows)
    {
        var members = new[] { 5UL, 9UL }.Select(seed =>
        {
            var (network, features) = Build(seed, extras: true);
            var transitions = new float[81];
            var start = new float[9];
            new SeededRandom(seed + 1).FillUniform(transitions, -1, 1);
            new SeededRandom(seed + 2).FillUniform(start, -1, 1);
            return new EntityTagger(network, new WordTokenizer(TokenizerSettings.Ner, features.Words), features, BioLabels.Conll, transitions, start,
                precomputedRows: cachedRows);
        }).ToArray();
        string path = Path.Combine(_directory, $"ensemble-{cachedRows}.ckpt");
        EntityTagger.Save(path, new EntityTagger(members), "ner", new JsonObject(), new JsonObject());

        var loaded = EntityTagger.Load(path);
        Assert.Equal(2, loaded.Members.Count);
        Assert.Equal(2, ServeNet.Core.Checkpoints.Checkpoint.Read(path).Metadata[EntityTagger.EnsembleKey]!["members"]!.GetValue<int>());
        string[][] document = [["Angela", "Merkel", "visited", "Paris", "and", "the", "EU", "."], ["Merkel", "left", "PARIS"]];
        int[] documents = [0, 0];
        // Each member comes back (the word table in float16, the rest exactly) and the scores are their mean.
        for (int k = 0; k < 2; k++) Assert.Equal(members[k].Network.Parameters[^1].Value, loaded.Members[k].Network.Parameters[^1].Value);
        var mean = loaded.Emissions(document, documents);
        var first = loaded.Members[0].Emissions(document, documents);
        var second = loaded.Members[1].Emissions(document, documents);
        for (int s = 0; s < document.Length; s++)
            for (int i = 0; i < mean[s].Length; i++) Assert.Equal((first[s][i] + second[s][i]) / 2, mean[s][i], 4);
        for (int i = 0; i < 81; i++) Assert.Equal((members[0].Transitions![i] + members[1].Transitions![i]) / 2, loaded.Transitions![i], 5);
        Assert.NotEqual(members[0].Tag("Angela Merkel visited Paris .").Tokens.Select(t => t.Probability),
            loaded.Tag("Angela Merkel visited Paris .").Tokens.Select(t => t.Probability));
    }

    [Fact]
    public void Ensemble_OfTaggersWithOtherFeatures_IsRefused()
    {
        var (a, featuresA) = Build(5, extras: true);
        var (b, featuresB) = Build(6, extras: false);
        var tokenizer = new WordTokenizer(TokenizerSettings.Ner, featuresA.Words);
        Assert.Throws<ArgumentException>(() => new EntityTagger([
            new EntityTagger(a, tokenizer, featuresA, BioLabels.Conll, null, null),
            new EntityTagger(b, tokenizer, featuresB, BioLabels.Conll, null, null)]));
    }

    [Fact]
    public void TagDocument_WithMentions_SeesTheOtherSentencesOfTheDocument()
    {
        var tagger = SaveAndLoad(crf: true, extras: true);
        string[] sentence = ["Merkel", "left", "PARIS"];
        var alone = tagger.TagTokens(sentence).Scores;
        var inDocument = tagger.Emissions([["Angela", "Merkel", "visited", "Paris"], sentence], [7, 7])[1];
        Assert.NotEqual(alone, inDocument);
    }

    // A checkpoint as the window-only tagger wrote it: a plain concat-embedding input, features without a version.
    private string SaveVersionOne(int version = 0)
    {
        var words = new Vocabulary(["angela", "merkel", "visited", "paris"]);
        var features = new TaggerFeatures(new TaggerFeatureSettings(Window: 1, Suffix: false, Prefix: false), words, null, null);
        var input = new ConcatEmbedding("input", [new TableSpec("input.words", words.Count, 3), new TableSpec("input.shapes", WordShape.Count, 2)],
            features.SlotTables);
        var network = new Classifier<TokenBatch>(input, [new Dense("output", input.OutputSize, BioLabels.Conll.Count)]);
        network.Initialize(new SeededRandom(3));
        var metadata = ModelMetadata.Common(EntityTagger.Kind, "old", network.Parameters, BioLabels.Conll.Labels, new JsonObject(), new JsonObject());
        metadata["entityTypes"] = new JsonArray(BioLabels.Conll.Types.Select(t => (JsonNode)t!).ToArray());
        metadata["tokenizer"] = System.Text.Json.JsonSerializer.SerializeToNode(TokenizerSettings.Ner, ServeNet.Core.Checkpoints.CheckpointJson.Options);
        var stored = new JsonObject { ["window"] = 1, ["suffix"] = false, ["prefix"] = false, ["affixLength"] = 3, ["charNgrams"] = 0, ["charBuckets"] = 0 };
        if (version > 0) stored["version"] = version;
        metadata["features"] = stored;
        metadata["decoding"] = new JsonObject { ["crf"] = false, ["constrained"] = true };
        metadata["vocabulary"] = new JsonArray(words.Words.Select(w => (JsonNode)w!).ToArray());
        string path = Path.Combine(_directory, $"v1-{version}.ckpt");
        ClassifierCheckpoint.Save(path, network, metadata);
        return path;
    }

    [Fact]
    public void Load_VersionOneCheckpoint_StillLoadsAndTags()
    {
        var tagger = EntityTagger.Load(SaveVersionOne());
        Assert.False(tagger.Features.Settings.Mentions);
        Assert.Equal(0f, tagger.Features.Settings.ContextAlpha);
        Assert.Equal(4, tagger.Tag("Angela Merkel visited Paris").Tokens.Count);
    }

    [Fact]
    public void Load_CheckpointFromANewerFeatureVersion_IsRefusedWithAHint()
    {
        var error = Assert.Throws<ServeNet.Core.Checkpoints.CheckpointException>(() => EntityTagger.Load(SaveVersionOne(version: 99)));
        Assert.Contains("metadata.features.version", error.Message);
        Assert.Contains("update ServeNet", error.Message);
    }

    [Fact]
    public void PrecomputedFirstLayer_RareWordsAndBags_GoThroughTheCurrentKernel()
    {
        // Three cached rows per table: most ids of this sentence, and the character bags, are projected per call.
        var fast = SaveAndLoad(crf: false, precomputedRows: 3);
        var plain = new EntityTagger(fast.Network, fast.Tokenizer, fast.Features, fast.Labels, null, null, fast.Info, precomputedRows: 0);
        string[] tokens = ["Angela", "Merkel", "visited", "Paris", "and", "the", "EU", "."];
        var counting = new Tests.Kernels.CountingKernel();
        float[] fastScores;
        using (KernelSet.Use(counting)) (_, fastScores) = fast.TagTokens(tokens);
        var (_, plainScores) = plain.TagTokens(tokens);

        // Every projection of the fast path ran on the forced kernel (SERVENET_GEMM_KERNEL=reference reaches it): per token,
        // the on-the-fly rows of each table plus the character bag, then the output layer once.
        Assert.True(counting.Products > tokens.Length, $"{counting.Products} products");
        for (int i = 0; i < fastScores.Length; i++) Assert.Equal(plainScores[i], fastScores[i], HalfPrecisionTolerance);
    }

    [Fact]
    public void PrecomputedFirstLayer_RareWordRepeatedInABatch_IsProjectedOnceAndScoredAsThePlainNetwork()
    {
        var fast = SaveAndLoad(crf: false, precomputedRows: 3);
        var plain = new EntityTagger(fast.Network, fast.Tokenizer, fast.Features, fast.Labels, null, null, fast.Info, precomputedRows: 0);
        // 40 tokens of four forms, each beyond the three cached rows of some table.
        var tokens = Enumerable.Range(0, 10).SelectMany(_ => new[] { "Merkel", "visited", "Paris", "." }).ToArray();
        var counting = new Tests.Kernels.CountingKernel();
        float[] fastScores;
        using (KernelSet.Use(counting)) (_, fastScores) = fast.TagTokens(tokens);
        var (_, plainScores) = plain.TagTokens(tokens);

        // The rare ids' projections are the products as wide as a token's block (5 window positions × 12 hidden units):
        // one row per distinct id, not one per token.
        var projections = counting.Shapes.Where(s => s.N == 5 * 12).ToList();
        Assert.NotEmpty(projections);
        Assert.All(projections, s => Assert.InRange(s.M, 1, 4));
        for (int i = 0; i < fastScores.Length; i++) Assert.Equal(plainScores[i], fastScores[i], HalfPrecisionTolerance);
    }

    [Fact]
    public void CharTrigrams_KeepFirstAndLastOfLongWordsAndAreStable()
    {
        var (_, features) = Build(1, charNgrams: 4);
        var slots = new int[4];
        features.CharTrigrams("Paris", slots);   // <Pa Par ari ris is> : 5 trigrams, keeps <Pa Par … ris is>
        var again = new int[4];
        features.CharTrigrams("Paris", again);
        Assert.Equal(slots, again);
        Assert.All(slots, id => Assert.InRange(id, 1, 50));
        var shortSlots = new int[4];
        features.CharTrigrams("EU", shortSlots);   // <EU EU> : 2 trigrams, 2 padding slots
        Assert.Equal(0, shortSlots[2]);
        Assert.Equal(0, shortSlots[3]);
        Assert.NotEqual(0, shortSlots[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tag_AnyText_GivesValidBioAndOffsetsIntoTheText(bool crf)
    {
        var tagger = SaveAndLoad(crf);
        const string text = "Angela Merkel visited Paris 🙂 and the EU… «Ünïcödé» \u05E9\u05DC\u05D5\u05DD.";
        var result = tagger.Tag(text);
        var tags = result.Tokens.Select(t => t.Tag).ToArray();
        for (int i = 0; i < tags.Length; i++)
        {
            if (BioLabels.IsInside(tags[i]))
                Assert.True(i > 0 && tags[i - 1] != "O" && BioLabels.TypeOf(tags[i - 1]) == BioLabels.TypeOf(tags[i]), string.Join(" ", tags));
            Assert.InRange(result.Tokens[i].Probability, 0f, 1f);
        }
        foreach (var entity in result.Entities) Assert.Equal(entity.Text, text[entity.Start..entity.End]);
        Assert.Equal(tagger.Tag([text, text])[1].Tokens.Select(t => t.Tag), tags);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // sentence context and mention pools: a text must never be split across passes
    public void Tag_TextsOverSeveralPasses_TagEachAsItAlone(bool extras)
    {
        var tagger = SaveAndLoad(crf: true, extras: extras);
        string[] words = ["Angela", "Merkel", "visited", "Paris", "and", "the", "EU", "."];
        string Text(int tokens, int shift) => string.Join(" ", Enumerable.Range(0, tokens).Select(i => words[(i + shift) % words.Length]));
        // Passes of whole texts: 700 + 700 tokens need two, and the 1,300-token text is a pass of its own.
        string[] texts = [Text(700, 0), Text(700, 3), Text(EntityTagger.MaxRowsPerPass + 276, 5), Text(9, 1)];

        var together = tagger.Tag(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            var alone = tagger.Tag(texts[i]);
            Assert.Equal(alone.Tokens.Select(t => t.Tag), together[i].Tokens.Select(t => t.Tag));
            // Other batch sizes may take other GEMM strategies: equal up to rounding.
            for (int t = 0; t < alone.Tokens.Count; t++) Assert.Equal(alone.Tokens[t].Probability, together[i].Tokens[t].Probability, 5);
        }
    }

    [Fact]
    public void Tag_BatchLargeEnoughToSplitAcrossCores_TagsEachTextAsItAlone()
    {
        var tagger = SaveAndLoad(crf: true, extras: true);
        string[] words = ["Angela", "Merkel", "visited", "Paris", "and", "the", "EU", "."];
        var texts = Enumerable.Range(0, 4 * ServeNet.Core.Models.BatchSplit.MinTextsPerPart + 5)
            .Select(i => string.Join(" ", Enumerable.Range(0, 1 + i % 13).Select(k => words[(k + i) % words.Length]))).ToArray();

        var together = tagger.Tag(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            var alone = tagger.Tag(texts[i]);
            Assert.Equal(alone.Tokens.Select(t => t.Tag), together[i].Tokens.Select(t => t.Tag));
            Assert.Equal(alone.Entities.Select(e => (e.Start, e.End, e.Type)), together[i].Entities.Select(e => (e.Start, e.End, e.Type)));
            for (int t = 0; t < alone.Tokens.Count; t++) Assert.Equal(alone.Tokens[t].Probability, together[i].Tokens[t].Probability, 5);
        }
    }

    [Fact]
    public void Tag_AfterLargerBatchesOnTheSameThread_AnswersExactlyAsTheFirstTime()
    {
        // Serving reuses one encoding per thread: nothing of an earlier request (rows, characters, mentions) may leak.
        var tagger = SaveAndLoad(crf: true, extras: true);
        string text = "Merkel met Chirac in Paris . Merkel left Paris on Sunday .";
        var first = tagger.Tag(text);

        tagger.Tag(Enumerable.Range(0, 40).Select(i => $"Chirac and Merkel in Bonn , Paris and Berlin , day {i} of {i + 7} .").ToArray());
        tagger.Tag(string.Join(" ", Enumerable.Repeat("Paris Merkel Chirac EU", 300)));
        var again = tagger.Tag(text);

        Assert.Equal(first.Tokens.Select(t => (t.Tag, t.Probability)), again.Tokens.Select(t => (t.Tag, t.Probability)));
        Assert.Equal(first.Entities.Select(e => (e.Start, e.End, e.Type)), again.Entities.Select(e => (e.Start, e.End, e.Type)));
    }

    [Fact]
    public void Tag_CancelledToken_ThrowsBeforeAnswering()
    {
        var tagger = SaveAndLoad(crf: false);

        Assert.ThrowsAny<OperationCanceledException>(() => tagger.Tag(["Angela Merkel visited Paris"], new CancellationToken(canceled: true)));
    }
}
