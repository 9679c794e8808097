using ServeNet.Core.Embeddings;
using ServeNet.Core.Text;
using ServeNet.Training.Commands.TrainSentiment;
using ServeNet.Training.Data;
using ServeNet.Training.Embeddings;

namespace ServeNet.Training.Tests.Embeddings;

public sealed class InDomainVectorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-vectors-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private static readonly SkipGramSettings Tiny = new() { Dimension = 8, MinCount = 1, Epochs = 2, Subsample = 0 };
    private static readonly string[] Texts = ["A wonderful film, a wonderful cast.", "A dull film and a dull cast.", "Wonderful!"];

    [Fact]
    public void Cache_SaveThenLoad_GivesTheSameVectors()
    {
        var vectors = new WordVectors(["good", "bad"], [1, 2, 3, 4, 5, 6], 3);
        WordVectorCache.Save(_directory, "abc", vectors);
        var loaded = WordVectorCache.TryLoad(_directory, "abc")!;
        Assert.Equal(vectors.Words, loaded.Words);
        Assert.Equal(vectors.Vectors, loaded.Vectors);
        Assert.Null(WordVectorCache.TryLoad(_directory, "other"));
    }

    [Fact]
    public void Key_ChangesWithTextsTokenizerAndSettings()
    {
        string key = InDomainVectors.Key(Texts, TokenizerSettings.Sentiment, Tiny);
        Assert.Equal(key, InDomainVectors.Key([.. Texts], TokenizerSettings.Sentiment, Tiny with { }));
        Assert.NotEqual(key, InDomainVectors.Key([.. Texts, "more"], TokenizerSettings.Sentiment, Tiny));
        Assert.NotEqual(key, InDomainVectors.Key(["A wonderful film, a wonderful cast.A", " dull film and a dull cast.", "Wonderful!"], TokenizerSettings.Sentiment, Tiny));
        Assert.NotEqual(key, InDomainVectors.Key(Texts, TokenizerSettings.Ner, Tiny));
        Assert.NotEqual(key, InDomainVectors.Key(Texts, TokenizerSettings.Sentiment, Tiny with { Epochs = 3 }));
    }

    [Fact]
    public void LoadOrTrain_SecondCall_LoadsTheCacheWithTheSameVectors()
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
        var log = new List<string>();
        var first = InDomainVectors.LoadOrTrain(Texts, tokenizer, Tiny, _directory, log.Add);
        var second = InDomainVectors.LoadOrTrain(Texts, tokenizer, Tiny, _directory, log.Add);
        Assert.Contains(log, l => l.Contains("cached as"));
        Assert.Contains(log, l => l.Contains("loaded from"));
        Assert.Equal(first.Vectors, second.Vectors);
        Assert.Contains("wonderful", first.Words); // tokenized as the classifier does: lowercased, punctuation apart
        Assert.Contains(",", first.Words);
    }

    [Fact]
    public void EmbeddingSources_Concat_FillsBothHalvesAndScalesInDomainToGloveNorm()
    {
        var glove = new PretrainedEmbeddings(["good", "film"], [3, 4, 0, 5], 2, null); // norms 5 and 5
        var inDomain = new WordVectors(["good", "dull"], [1, 0, 0, 1], 2); // norms 1
        var sources = new EmbeddingSources(glove, inDomain);
        Assert.Equal(4, sources.Dimension);
        Assert.Equal(5f, sources.InDomainScale, 4);
        var row = new float[4];
        var random = new ServeNet.Core.Tensors.SeededRandom(1);
        Assert.True(sources.TryFill("good", row, random));
        Assert.Equal([3f, 4f, 5f, 0f], row);
        Assert.True(sources.TryFill("dull", row, random)); // GloVe half random, in-domain half found
        Assert.Equal([0f, 5f], row[2..]);
        Assert.False(sources.TryFill("unseen", row, random));
    }
}
