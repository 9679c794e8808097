using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Sentiment;

public sealed class TextClassifierTests
{
    private static readonly string[] Words = ["good", "bad", "film", "not", "a", "very", ",", ".", "dull", "fun", "but"];

    // A small DAN with random weights; with bigrams and negation scopes the bag has ids covering two tokens and "not_" forms;
    // with scope operators, words after "not" and before "but" go through random (not identity) maps.
    private static TextClassifier Model(BagFeatures bag)
    {
        var entries = new List<string>(Words) { "not_good", "not_fun", "very good", "not good", "a film", "good film", "dull film" };
        var vocabulary = new Vocabulary(entries);
        var embedding = new EmbeddingBag("embedding", vocabulary.Count, 6, scopes: bag.ScopeOperators);
        var network = new Classifier<TokenBatch>(embedding,
            [new Dense("hidden", 6, 5, ServeNet.Core.Kernels.Activation.Tanh), new Dense("output", 5, 2)]);
        network.Initialize(new SeededRandom(17));
        if (embedding.Scopes is { } maps) new SeededRandom(18).FillGaussian(maps.Value, 0.5f);
        return new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), ["negative", "positive"], bag: bag);
    }

    /// <summary>
    /// The definition, kept as the reference: p(label | text) − p(label | the bag without every id that
    /// covers the token), each bag run through the whole network on its own. O(n²).
    /// </summary>
    private static float[] ReferenceContributions(TextClassifier model, string text)
    {
        var result = model.Classify(text);
        var tokens = result.Tokens.Select(t => t.Value).ToArray();
        var ids = new List<int>();
        var firstToken = new List<int>();
        TextClassifier.EncodeIds(model.Vocabulary, tokens, model.Bag, ids, firstToken);
        float p = result.Probabilities[result.LabelIndex];
        var contributions = new float[tokens.Length];
        var workspace = model.Network.CreateWorkspace();
        for (int i = 0; i < tokens.Length; i++)
        {
            var kept = new List<int>();
            for (int k = 0; k < ids.Count; k++)
            {
                bool covers = k < tokens.Length ? firstToken[k] == i : firstToken[k] == i || firstToken[k] == i - 1;
                if (!covers) kept.Add(ids[k]);
            }
            var probabilities = model.Network.PredictProbabilities(new TokenBatch(kept.ToArray(), new[] { 0, kept.Count }), workspace);
            contributions[i] = p - probabilities[result.LabelIndex];
        }
        return contributions;
    }

    private static string Text(int tokens, int seed)
    {
        var random = new Random(seed);
        return string.Join(" ", Enumerable.Range(0, tokens).Select(_ => Words[random.Next(Words.Length)]));
    }

    [Theory]
    [InlineData(1, false, 0)]
    [InlineData(2, false, 0)]
    [InlineData(2, true, 0)]
    [InlineData(1, true, 2)]
    [InlineData(2, true, 2)]
    public void Explain_EveryLengthUpTo300_MatchesTheLeaveOneOutReference(int ngrams, bool negation, int scopes)
    {
        var model = Model(new BagFeatures(ngrams, negation, scopes));
        // 2..67 every length (every tail of a pass), then lengths around the pass size.
        foreach (int n in Enumerable.Range(2, 66).Concat([TextClassifier.ExplainRowsPerPass - 1, TextClassifier.ExplainRowsPerPass, 300]))
        {
            string text = Text(n, seed: n);
            var (_, contributions) = model.Explain(text);
            var reference = ReferenceContributions(model, text);
            Assert.Equal(reference.Length, contributions.Length);
            for (int i = 0; i < reference.Length; i++)
                Assert.True(MathF.Abs(reference[i] - contributions[i].Contribution) < 1e-5f,
                    $"n={n}, token {i}: reference {reference[i]}, fast {contributions[i].Contribution}");
        }
    }

    [Fact]
    public void Explain_CancelledToken_ThrowsBeforeAnswering()
    {
        var model = Model(new BagFeatures());

        Assert.ThrowsAny<OperationCanceledException>(() => model.Explain(Text(40, 1), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Classify_BatchLargeEnoughToSplitAcrossCores_EqualsEachTextAlone()
    {
        var model = Model(new BagFeatures(2, true, 2));
        var texts = Enumerable.Range(0, 5 * BatchSplit.MinTextsPerPart + 3).Select(i => Text(1 + i % 23, seed: i)).ToArray();

        var batch = model.Classify(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            var alone = model.Classify(texts[i]);
            Assert.Equal(alone.Label, batch[i].Label);
            for (int c = 0; c < 2; c++) Assert.Equal(alone.Probabilities[c], batch[i].Probabilities[c], 5);
        }
    }

    [Fact]
    public void Classify_CancelledToken_ThrowsBeforeAnswering()
    {
        var model = Model(new BagFeatures());

        Assert.ThrowsAny<OperationCanceledException>(() => model.Classify(["a good film"], new CancellationToken(canceled: true)));
    }
}
