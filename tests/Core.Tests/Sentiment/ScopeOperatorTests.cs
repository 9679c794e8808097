using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Sentiment;

public sealed class ScopeOperatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-scopes-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [Theory]
    [InlineData("it is not a good film .", "0 0 0 1 1 1 0")]
    [InlineData("the plot is thin , but the acting is superb .", "2 2 2 2 2 0 0 0 0 0 0")]
    [InlineData("it 's not perfect , but fun . a delight .", "2 2 2 1 2 0 0 0 0 0 0")]
    [InlineData("never dull but never great either", "2 1 0 0 1 1")]
    public void OperatorScopeOf_MarksNegationThenTheConcededClause(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', BagFeatures.OperatorScopeOf(text.Split(' '))));
        Assert.Equal(expected.Replace('2', '0'), string.Join(' ', BagFeatures.OperatorScopeOf(text.Split(' '), scopes: 1)));
    }

    [Fact]
    public void NegatedPositions_ContractionWithoutApostrophe_StartsAScope() =>
        Assert.Equal([false, false, true, true, false], BagFeatures.NegatedPositions("i didnt enjoy it .".Split(' ')));

    [Fact]
    public void EncodeIds_WithScopeOperators_OffsetsScopedWordsByTheVocabularySize()
    {
        var vocabulary = new Vocabulary(["not", "good", "but", "fun"]);
        var ids = new List<int>();
        TextClassifier.EncodeIds(vocabulary, "not good but fun".Split(' '), new BagFeatures(ScopeOperators: 2), ids);
        int v = vocabulary.Count;
        Assert.Equal([2 + 2 * v, 3 + v, 4, 5], ids);
    }

    [Fact]
    public void ScopedModel_SaveLoad_ClassifiesAndExplainsTheSame()
    {
        var vocabulary = new Vocabulary(["not", "good", "bad", "film", "but", "."]);
        var bag = new BagFeatures(ScopeOperators: 2);
        var network = new Classifier<TokenBatch>(new EmbeddingBag("embedding", vocabulary.Count, 4, scopes: 2), [new Dense("output", 4, 2)]);
        network.Initialize(new SeededRandom(3));
        new SeededRandom(5).FillUniform(((EmbeddingBag)network.Input).Scopes!.Value, -1f, 1f);
        string path = Path.Combine(_directory, "scoped.ckpt");
        TextClassifier.Save(path, network, vocabulary, TokenizerSettings.Sentiment, ["negative", "positive"], "scoped", [], [], bag);
        var original = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), ["negative", "positive"], bag: bag);
        var loaded = TextClassifier.Load(path);

        Assert.Equal(2, ((EmbeddingBag)loaded.Network.Input).ScopeCount);
        foreach (var text in new[] { "not a good film.", "good, but bad.", "bad film" })
        {
            var a = original.Explain(text);
            var b = loaded.Explain(text);
            // The table is stored in float16: equal to about three digits.
            Assert.Equal(a.Result.Probabilities[1], b.Result.Probabilities[1], 3);
            Assert.Equal(a.Contributions.Select(c => c.Contribution), b.Contributions.Select(c => c.Contribution), (x, y) => Math.Abs(x - y) < 1e-3f);
        }
        // Negating changes the prediction (the map is not the identity).
        Assert.NotEqual(loaded.Classify("good film").Probabilities[1], loaded.Classify("not good film").Probabilities[1]);
    }
}
