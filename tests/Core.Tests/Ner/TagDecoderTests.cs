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
    public void Viterbi_FindsTheBestValidSequence_AsEnumeratingThemAllDoes(bool crf)
    {
        // Every label sequence of up to 5 tokens over 5 labels, the invalid ones (I-X not after B-X or I-X) left out.
        int labels = Labels.Count;
        var transitions = crf ? RandomScores(labels * labels, 11) : null;
        var start = crf ? RandomScores(labels, 12) : null;
        for (int n = 1; n <= 5; n++)
            for (ulong seed = 0; seed < 6; seed++)
            {
                var scores = RandomScores(n * labels, 100 + seed * 7 + (ulong)n);
                double Score(int[] sequence)
                {
                    double sum = 0;
                    for (int t = 0; t < n; t++)
                        sum += scores[t * labels + sequence[t]] + (t == 0 ? start?[sequence[0]] ?? 0 : transitions?[sequence[t - 1] * labels + sequence[t]] ?? 0);
                    return sum;
                }
                int[] path = BioDecoder.Viterbi(scores, n, Labels, transitions, start);
                Assert.True(Enumerable.Range(0, n).All(t => Labels.Allowed(t == 0 ? -1 : path[t - 1], path[t])), "an invalid BIO path");
                double bestScore = double.NegativeInfinity;
                var sequence = new int[n];
                for (int code = 0; code < (int)Math.Pow(labels, n); code++)
                {
                    for (int t = 0, rest = code; t < n; t++, rest /= labels) sequence[t] = rest % labels;
                    if (Enumerable.Range(0, n).All(t => Labels.Allowed(t == 0 ? -1 : sequence[t - 1], sequence[t])))
                        bestScore = Math.Max(bestScore, Score(sequence));
                }
                Assert.Equal(bestScore, Score(path), 4);
            }
    }

    [Fact]
    public void Viterbi_OnASentenceTooLongForTheStack_GivesTheSamePathAsItsRepeatedShortPiece()
    {
        // 300 tokens (2,700 cells with 9 labels: the heap path) made of one 3-token piece whose best path ends in O
        // and starts with a strong B-PER: the long path is the short one repeated.
        var labels = BioLabels.Conll;
        int l = labels.Count;
        var piece = new float[3 * l];
        piece[0 * l + labels.Index["B-PER"]] = 5;
        piece[1 * l + labels.Index["I-PER"]] = 5;
        piece[2 * l + labels.Index["O"]] = 5;
        var scores = new float[300 * l];
        for (int t = 0; t < 300; t++) piece.AsSpan((t % 3) * l, l).CopyTo(scores.AsSpan(t * l, l));
        int[] shortPath = BioDecoder.Viterbi(piece, 3, labels);
        int[] longPath = BioDecoder.Viterbi(scores, 300, labels);
        for (int t = 0; t < 300; t++) Assert.Equal(shortPath[t % 3], longPath[t]);
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
