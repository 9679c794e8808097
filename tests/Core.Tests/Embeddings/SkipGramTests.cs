using ServeNet.Core.Embeddings;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Embeddings;

public class SkipGramTests
{
    private static readonly string[] Praise = ["good", "great", "superb"];
    private static readonly string[] Scorn = ["bad", "awful", "dreadful"];
    private static readonly string[] Warm = ["love", "joy", "smile", "delight", "cheer"];
    private static readonly string[] Cold = ["hate", "pain", "anger", "misery", "gloom"];
    private static readonly string[] Filler = ["the", "film", "was", "and", "a", "it"];

    // Synonyms share their contexts: praise words appear among warm words, scorn words among cold ones.
    private static List<string[]> SyntheticCorpus(int sentences, ulong seed)
    {
        var random = new SeededRandom(seed);
        var corpus = new List<string[]>();
        for (int s = 0; s < sentences; s++)
        {
            bool positive = random.NextInt(2) == 0;
            var (words, context) = positive ? (Praise, Warm) : (Scorn, Cold);
            var sentence = new string[8];
            for (int i = 0; i < sentence.Length; i++)
                sentence[i] = i == 4 ? words[random.NextInt(words.Length)]
                    : random.NextInt(3) == 0 ? Filler[random.NextInt(Filler.Length)] : context[random.NextInt(context.Length)];
            corpus.Add(sentence);
        }
        return corpus;
    }

    private static readonly SkipGramSettings Small = new() { Dimension = 16, Window = 3, Negatives = 4, MinCount = 1, Subsample = 0, Epochs = 5, Seed = 5 };

    [Fact]
    public void Corpus_Build_OrdersByCountAndDropsRareWords()
    {
        var corpus = SkipGramCorpus.Build([["a", "b", "a", "rare"], ["b", "a", "c", "c"]], minCount: 2);
        Assert.Equal(["a", "b", "c"], corpus.Words);
        Assert.Equal([3L, 2L, 2L], corpus.Counts);
        Assert.Equal([0, 1, 0, 1, 0, 2, 2], corpus.Tokens); // "rare" removed, windows reach over it
        Assert.Equal([0, 3, 7], corpus.SentenceStarts);
    }

    [Fact]
    public void AliasSampler_Draws_InProportionToTheWeights()
    {
        double[] weights = [1, 0, 6, 3];
        var sampler = new AliasSampler(weights);
        var random = new SeededRandom(9);
        var counts = new int[weights.Length];
        const int draws = 200_000;
        for (int i = 0; i < draws; i++) counts[sampler.Sample(random)]++;
        for (int i = 0; i < weights.Length; i++)
            Assert.InRange(counts[i] / (double)draws, weights[i] / 10 - 0.005, weights[i] / 10 + 0.005);
    }

    [Fact]
    public void KeepProbabilities_FrequentWordsAreSubsampledRareOnesKept()
    {
        var corpus = SkipGramCorpus.Build([[.. Enumerable.Repeat("the", 990), .. Enumerable.Range(0, 10).Select(i => $"w{i}")]], 1);
        var keep = SkipGram.KeepProbabilities(corpus, 1e-3);
        Assert.InRange(keep[0], 0.03f, 0.04f); // f = 0.99: (√990 + 1)·10⁻³/0.99
        Assert.Equal(1f, keep[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_SyntheticCorpus_SynonymsEndUpCloserThanAntonyms(int threads)
    {
        var corpus = SkipGramCorpus.Build(SyntheticCorpus(3000, 1), minCount: 1);
        var vectors = SkipGram.Train(corpus, Small with { Threads = threads });
        foreach (var group in new[] { Praise, Scorn })
        {
            var other = group == Praise ? Scorn : Praise;
            foreach (var a in group)
                foreach (var b in group.Where(b => b != a))
                    Assert.True(vectors.Similarity(a, b) > vectors.Similarity(a, other[0]) + 0.2f,
                        $"{a}~{b} {vectors.Similarity(a, b):F2} vs {a}~{other[0]} {vectors.Similarity(a, other[0]):F2}");
        }
        Assert.Contains(vectors.Nearest("good", 2), n => Praise.Contains(n.Word));
    }

    [Fact]
    public void Train_LossDecreasesFromEpochToEpoch()
    {
        var corpus = SkipGramCorpus.Build(SyntheticCorpus(2000, 2), minCount: 1);
        var epochs = new List<SkipGramEpoch>();
        SkipGram.Train(corpus, Small, epochs.Add);
        Assert.Equal(Small.Epochs, epochs.Count);
        // At the start every target costs log 2 (all scores 0): 5 targets per pair. The synthetic task is
        // learned within the first epoch, after which the loss only creeps down (noise samples vary).
        string losses = string.Join(", ", epochs.Select(e => e.MeanLoss.ToString("F3")));
        Assert.True(epochs[0].MeanLoss < 5 * Math.Log(2) - 0.5, losses);
        Assert.True(epochs[^1].MeanLoss < epochs[0].MeanLoss - 0.05, losses);
        Assert.All(epochs.Skip(1), e => Assert.True(e.MeanLoss < epochs[0].MeanLoss, losses));
    }

    [Fact]
    public void Train_OneThreadSameSeed_GivesTheSameVectorsBitForBit()
    {
        var corpus = SkipGramCorpus.Build(SyntheticCorpus(500, 3), minCount: 1);
        var a = SkipGram.Train(corpus, Small with { Epochs = 2 });
        var b = SkipGram.Train(corpus, Small with { Epochs = 2 });
        var c = SkipGram.Train(corpus, Small with { Epochs = 2, Seed = 6 });
        Assert.Equal(a.Vectors, b.Vectors);
        Assert.NotEqual(a.Vectors, c.Vectors);
    }

    [Fact]
    public void Train_ReferenceKernel_LearnsLikeTheVectorizedOne()
    {
        var corpus = SkipGramCorpus.Build(SyntheticCorpus(500, 4), minCount: 1);
        var fast = SkipGram.Train(corpus, Small with { Epochs = 2 });
        var reference = SkipGram.Train(corpus, Small with { Epochs = 2, Kernel = "reference" });
        // Same sampling stream, float rounding apart: the vectors agree closely.
        for (int i = 0; i < fast.Vectors.Length; i++) Assert.True(Math.Abs(fast.Vectors[i] - reference.Vectors[i]) < 1e-3f, $"[{i}] {fast.Vectors[i]} vs {reference.Vectors[i]}");
    }

    [Fact]
    public void Train_UnknownKernel_IsRejectedByName()
    {
        var corpus = SkipGramCorpus.Build([["a", "b"]], minCount: 1);
        var error = Assert.Throws<ArgumentException>(() => SkipGram.Train(corpus, Small with { Kernel = "avx9000" }));
        Assert.Contains("avx9000", error.Message);
    }
}
