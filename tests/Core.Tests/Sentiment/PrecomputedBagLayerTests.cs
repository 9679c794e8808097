using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Sentiment;

public sealed class PrecomputedBagLayerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-precomputed-bag-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private static readonly string[] Words = ["good", "bad", "film", "not", "a", "very", ",", ".", "dull", "fun", "but", "never", "great"];

    private static readonly string[] Texts =
    [
        "", "good", "not a good film .", "good , but bad .", "a very dull film but fun", "not good but not bad , never dull",
        "never great but never dull either", "film film film", "an unknown word", "not not not good",
    ];

    public static TheoryData<string, int, bool> KernelsAndBags()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var kernel in KernelSet.All.Where(k => k.IsSupported))
        foreach (int scopes in new[] { 0, 2 })
        foreach (bool bigrams in new[] { false, true })
            data.Add(kernel.Name, scopes, bigrams);
        return data;
    }

    // A DAN with random weights, dropout before its first dense layer, and with scope operators random (not identity) maps.
    private static Classifier<TokenBatch> Network(Vocabulary vocabulary, int scopes, int seed = 17)
    {
        var embedding = new EmbeddingBag("embedding", vocabulary.Count, 6, scopes: scopes);
        var network = new Classifier<TokenBatch>(embedding,
            [new Dropout("dropout", 6, 0.3f), new Dense("hidden", 6, 5, Activation.Relu), new Dense("output", 5, 3)]);
        network.Initialize(new SeededRandom((ulong)seed));
        if (embedding.Scopes is { } maps) new SeededRandom((ulong)seed + 1).FillGaussian(maps.Value, 0.5f);
        return network;
    }

    private static readonly string[] Labels = ["negative", "neutral", "positive"];

    private static (TextClassifier Plain, TextClassifier Fast) Pair(int scopes, bool bigrams)
    {
        var vocabulary = new Vocabulary([.. Words, "very good", "not good", "a film", "good film", "dull film"]);
        var bag = new BagFeatures(Ngrams: bigrams ? 2 : 1, ScopeOperators: scopes);
        var network = Network(vocabulary, scopes);
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment, vocabulary);
        return (new TextClassifier(network, tokenizer, Labels, bag: bag), new TextClassifier(network, tokenizer, Labels, bag: bag, precomputeFirstLayer: true));
    }

    [Theory]
    [MemberData(nameof(KernelsAndBags))]
    public void Classify_ThroughThePrecomputedFirstLayer_GivesThePlainNetworksProbabilities(string kernel, int scopes, bool bigrams)
    {
        using var _ = KernelSet.Use(KernelSet.All.Single(k => k.Name == kernel));
        var (plain, fast) = Pair(scopes, bigrams);
        Assert.Equal(0, plain.PrecomputedBytes);
        Assert.True(fast.PrecomputedBytes > 0);

        // One text at a time, and every text (repeated past the batch split's threshold) in one call: rows with and without scopes mixed.
        string[] batch = [.. Enumerable.Range(0, 5).SelectMany(_ => Texts)];
        foreach (var (expected, actual) in Texts.Select(plain.Classify).Zip(Texts.Select(fast.Classify)).Concat(plain.Classify(batch).Zip(fast.Classify(batch))))
        {
            Assert.Equal(expected.LabelIndex, actual.LabelIndex);
            for (int c = 0; c < Labels.Length; c++) Assert.Equal(expected.Probabilities[c], actual.Probabilities[c], 1e-5f);
        }
    }

    [Fact]
    public void Load_PrecomputesEveryWordsRowAndEveryScopeMap_AndWithTemperatureKeepsThem()
    {
        var vocabulary = new Vocabulary(Words);
        var network = Network(vocabulary, scopes: 2);
        string path = Path.Combine(_directory, "dan.ckpt");
        TextClassifier.Save(path, network, vocabulary, TokenizerSettings.Sentiment, Labels, "dan", [], [], new BagFeatures(ScopeOperators: 2));

        var loaded = TextClassifier.Load(path);
        // [V, H] word rows, as many again per scope (every word of this small vocabulary through each map), and one
        // [dim, H] per scope map, in floats.
        long expected = (vocabulary.Count * 5L * 3 + 2 * 6 * 5) * sizeof(float);
        Assert.Equal(expected, loaded.PrecomputedBytes);
        var cooled = loaded.WithTemperature(2f);
        Assert.Equal(expected, cooled.PrecomputedBytes);
        Assert.Equal(loaded.Classify("not a good film").LabelIndex, cooled.Classify("not a good film").LabelIndex);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(PrecomputedBagLayer.DefaultMappedScopeRows)]
    public void FirstLayer_ScopedWordsMappedAtLoadOrSummedPerScope_GivesThePlainNetworksOutput(int mappedScopeRows)
    {
        // 0: every scoped word through its scope's product; 3: "good", "bad" and "film" mapped at load, the others summed;
        // the default: all of them mapped. Texts in one batch, so rows with and without each path meet.
        var vocabulary = new Vocabulary([.. Words, "very good", "not good"]);
        var bag = new BagFeatures(ScopeOperators: 2);
        var network = Network(vocabulary, scopes: 2);
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment, vocabulary);
        var ids = new List<int>();
        var offsets = new List<int> { 0 };
        foreach (string text in Texts)
        {
            TextClassifier.EncodeIds(vocabulary, tokenizer.Tokenize(text).Select(t => t.Value).ToArray(), bag, ids);
            offsets.Add(ids.Count);
        }
        Assert.Contains(ids, id => id >= vocabulary.Count && id % vocabulary.Count < 3);  // both kinds of scoped word occur
        Assert.Contains(ids, id => id >= vocabulary.Count && id % vocabulary.Count >= 3);
        var batch = new TokenBatch(ids.ToArray(), offsets.ToArray());
        var layer = PrecomputedBagLayer.TryCreate(network, mappedScopeRows)!;
        var workspace = network.CreateWorkspace(Texts.Length);
        network.Forward(batch, workspace, PassContext.Inference);
        var plain = workspace.Activation(layer.DenseIndex + 1, Texts.Length).ToArray(); // the dense layer's output, ReLU applied

        var h = new float[Texts.Length * 5];
        layer.Forward(batch, new InputScratch(), h);

        for (int i = 0; i < h.Length; i++) Assert.Equal(plain[i], h[i], 1e-5f);
    }

    [Fact]
    public void AClassifierOverANetworkInTraining_ReadsTheWeightsAsTheyChange()
    {
        var vocabulary = new Vocabulary(Words);
        var network = Network(vocabulary, scopes: 0);
        var model = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), Labels);
        float before = model.Classify("good film").Probabilities[2];

        var hidden = (Dense)network.Layers[1];
        new SeededRandom(99).FillGaussian(hidden.Weight.Value, 1f);

        Assert.Equal(0, model.PrecomputedBytes);
        Assert.NotEqual(before, model.Classify("good film").Probabilities[2]);
    }

    [Fact]
    public void ANetworkWhoseFirstLayerIsNotDense_RunsPlain()
    {
        var vocabulary = new Vocabulary(Words);
        var network = new Classifier<TokenBatch>(new EmbeddingBag("embedding", vocabulary.Count, 4),
            [new ActivationLayer("tanh", 4, Activation.Tanh), new Dense("output", 4, 2)]);
        network.Initialize(new SeededRandom(3));
        var model = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), ["negative", "positive"],
            precomputeFirstLayer: true);

        Assert.Equal(0, model.PrecomputedBytes);
        Assert.Equal(1f, model.Classify("good film").Probabilities.Sum(), 1e-6f);
    }
}
