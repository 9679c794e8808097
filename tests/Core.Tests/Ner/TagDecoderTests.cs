using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Ner;

public class TagDecoderTests
{
    private static readonly BioLabels Labels = new(["PER", "LOC"]);

    private static float[] RandomScores(int length, ulong seed)
    {
        var values = new float[length];
        new SeededRandom(seed).FillUniform(values, -2, 2);
        return values;
    }

    [Fact]
    public void Average_OfCrfDecoders_DecodesWithTheMeanTransitions()
    {
        var a = new TagDecoder(Labels, RandomScores(25, 1), RandomScores(5, 2));
        var b = new TagDecoder(Labels, RandomScores(25, 3), RandomScores(5, 4));
        var mean = TagDecoder.Average([a, b]);
        for (int i = 0; i < 25; i++) Assert.Equal((a.Transitions![i] + b.Transitions![i]) / 2, mean.Transitions![i], 6);

        var scores = RandomScores(6 * 5, 5);
        var manual = new TagDecoder(Labels, mean.Transitions, mean.Start);
        Assert.Equal(manual.Decode(scores, 6, new float[30]), mean.Decode(scores, 6, new float[30]));
    }

    [Fact]
    public void Average_OfCrfAndSoftmaxDecoders_Throws()
    {
        var crf = new TagDecoder(Labels, RandomScores(25, 1), RandomScores(5, 2));
        var softmax = new TagDecoder(Labels, null, null);
        Assert.Contains("all CRF", Assert.Throws<ArgumentException>(() => TagDecoder.Average([crf, softmax])).Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_AnyScores_GivesValidBioAndProbabilitiesThatSumToOne(bool crf)
    {
        var decoder = crf ? new TagDecoder(Labels, RandomScores(25, 7), RandomScores(5, 8)) : new TagDecoder(Labels, null, null);
        var probabilities = new float[9 * 5];
        var path = decoder.Decode(RandomScores(9 * 5, 9), 9, probabilities);
        for (int t = 0; t < 9; t++)
        {
            Assert.True(Labels.Allowed(t == 0 ? -1 : path[t - 1], path[t]), string.Join(",", path));
            Assert.Equal(1f, probabilities.AsSpan(t * 5, 5).ToArray().Sum(), 4);
        }
    }
}
