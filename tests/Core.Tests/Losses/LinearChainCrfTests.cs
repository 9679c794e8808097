using ServeNet.Core.Losses;
using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Losses;

public class LinearChainCrfTests
{
    private static readonly BioLabels Labels = new(["PER", "LOC"]); // O, B-PER, I-PER, B-LOC, I-LOC
    private static readonly bool[] Allowed = Labels.AllowedMask();
    private const int L = 5;

    private static (float[] E, float[] T, float[] S) Random(int n, ulong seed, float scale = 2f)
    {
        var random = new SeededRandom(seed);
        var e = new float[n * L];
        var t = new float[L * L];
        var s = new float[L];
        random.FillUniform(e, -scale, scale);
        random.FillUniform(t, -scale, scale);
        random.FillUniform(s, -scale, scale);
        return (e, t, s);
    }

    // Every label sequence of length n, scored directly, valid ones only.
    private static double BruteForceLogPartition(float[] e, float[] t, float[] s, int n)
    {
        var scores = new List<double>();
        var path = new int[n];
        void Walk(int position)
        {
            if (position == n)
            {
                double score = s[path[0]] + e[path[0]];
                for (int k = 1; k < n; k++) score += t[path[k - 1] * L + path[k]] + e[k * L + path[k]];
                scores.Add(score);
                return;
            }
            for (int label = 0; label < L; label++)
            {
                if (!Labels.Allowed(position == 0 ? -1 : path[position - 1], label)) continue;
                path[position] = label;
                Walk(position + 1);
            }
        }
        Walk(0);
        double max = scores.Max();
        return max + Math.Log(scores.Sum(v => Math.Exp(v - max)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void LogPartition_EqualsBruteForceOverValidSequences(int n)
    {
        var (e, t, s) = Random(n, (ulong)n);
        Assert.Equal(BruteForceLogPartition(e, t, s, n), LinearChainCrf.LogPartition(e, n, L, t, s, Allowed), 9);
    }

    [Fact]
    public void LogPartition_HugeScores_StaysFinite()
    {
        var (e, t, s) = Random(30, 3, scale: 500f);
        Assert.True(double.IsFinite(LinearChainCrf.LogPartition(e, 30, L, t, s, Allowed)));
    }

    [Fact]
    public void Marginals_SumToOneAndGiveZeroToInvalidStarts()
    {
        var (e, t, s) = Random(6, 9);
        var m = new float[6 * L];
        LinearChainCrf.Marginals(e, 6, L, t, s, Allowed, m);
        for (int k = 0; k < 6; k++) Assert.Equal(1f, m.AsSpan(k * L, L).ToArray().Sum(), 5);
        Assert.Equal(0f, m[2]); // I-PER cannot start a sentence
        Assert.Equal(0f, m[4]);
    }

    [Fact]
    public void ForwardBackward_Gradients_MatchFiniteDifferences()
    {
        const int n = 4;
        var (e, t, s) = Random(n, 21, scale: 1f);
        int[] gold = [1, 2, 0, 3]; // B-PER I-PER O B-LOC
        var dE = new float[n * L];
        var dT = new float[L * L];
        var dS = new float[L];
        double loss = LinearChainCrf.ForwardBackward(e, gold, n, L, t, s, Allowed, dE, dT, dS);
        Assert.True(loss > 0);

        double Loss() => LinearChainCrf.ForwardBackward(e, gold, n, L, t, s, Allowed, new float[n * L], new float[L * L], new float[L]);
        GradientCheck.MaxRelativeError(Loss, e, dE, "dE");
        GradientCheck.MaxRelativeError(Loss, s, dS, "dStart");
        // Only allowed transitions are parameters of the model; forbidden ones have no gradient.
        var allowedT = Enumerable.Range(0, L * L).Where(k => Allowed[(k / L + 1) * L + k % L]).ToArray();
        foreach (int k in allowedT)
        {
            float original = t[k];
            t[k] = original + 1e-2f;
            double plus = Loss();
            t[k] = original - 1e-2f;
            double minus = Loss();
            t[k] = original;
            Assert.Equal((plus - minus) / 2e-2, dT[k], 2);
        }
    }

    [Fact]
    public void Viterbi_NeverOutputsInvalidBio_EvenWhenScoresPreferIt()
    {
        // Scores that love "I-PER" everywhere: greedy would give I-PER I-PER I-LOC.
        float[] scores =
        [
            0, 1, 5, 0, 0,
            0, 0, 5, 0, 0,
            0, 0, 0, 1, 5,
        ];
        var greedy = BioDecoder.Greedy(scores, 3, L).Select(i => Labels.Labels[i]).ToArray();
        Assert.Equal(["I-PER", "I-PER", "I-LOC"], greedy);
        var path = BioDecoder.Viterbi(scores, 3, Labels).Select(i => Labels.Labels[i]).ToArray();
        Assert.Equal(["B-PER", "I-PER", "B-LOC"], path);
    }

    [Fact]
    public void Spans_ReadBioSequencesLikeConlleval()
    {
        var spans = BioLabels.Spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-PER"]);
        Assert.Equal([("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 5), ("PER", 5, 6)], spans);
    }
}
