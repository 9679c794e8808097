using System.Numerics.Tensors;
using ServeNet.Core.Embeddings;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Embeddings;

public class SkipGramUpdateTests
{
    // Loss of one (h, targets) pair in float64, for finite differences.
    private static double Loss(float[] input, float[] output, int[] targets, int dim)
    {
        double loss = 0;
        for (int k = 0; k < targets.Length; k++)
        {
            double s = 0;
            for (int i = 0; i < dim; i++) s += (double)input[i] * output[targets[k] * dim + i];
            loss -= ReferenceSkipGramUpdate.LogSigmoid(k == 0 ? s : -s);
        }
        return loss;
    }

    [Fact]
    public void Reference_Step_IsGradientDescentOnTheLoss()
    {
        const int dim = 7, vocabulary = 9;
        const float rate = 1e-3f;
        var random = new SeededRandom(3);
        int[] targets = [2, 5, 7, 0];
        var input = GradientCheck.RandomArray(dim, random);
        var output = GradientCheck.RandomArray(vocabulary * dim, random);
        var (inputBefore, outputBefore) = ((float[])input.Clone(), (float[])output.Clone());

        ReferenceSkipGramUpdate.Apply(input, output, targets, rate, new float[dim]);

        // The step moved each parameter by −η·∂loss/∂w (targets distinct, so each row moves once).
        var dInput = inputBefore.Zip(input, (before, after) => (before - after) / rate).ToArray();
        var dOutput = outputBefore.Zip(output, (before, after) => (before - after) / rate).ToArray();
        GradientCheck.MaxRelativeError(() => Loss(inputBefore, outputBefore, targets, dim), inputBefore, dInput, "dInput");
        GradientCheck.MaxRelativeError(() => Loss(inputBefore, outputBefore, targets, dim), outputBefore, dOutput, "dOutput", maxEntries: 63);
    }

    // Every length 1..67, so every vector width and tail case of the fast path is covered.
    [Fact]
    public void Vectorized_EveryDimension_MatchesReference()
    {
        var random = new SeededRandom(11);
        for (int dim = 1; dim <= 67; dim++)
        {
            const int vocabulary = 12;
            int[] targets = [random.NextInt(vocabulary), random.NextInt(vocabulary), random.NextInt(vocabulary), random.NextInt(vocabulary)];
            float scale = 3f / MathF.Sqrt(dim); // dot products of order 1–10: σ neither flat nor saturated
            var input = GradientCheck.RandomArray(dim, random, -scale, scale);
            var output = GradientCheck.RandomArray(vocabulary * dim, random, -scale, scale);
            var (input2, output2) = ((float[])input.Clone(), (float[])output.Clone());

            float expected = ReferenceSkipGramUpdate.Apply(input, output, targets, 0.05f, new float[dim]);
            float actual = VectorizedSkipGramUpdate.Apply(input2, output2, targets, 0.05f, new float[dim]);

            Assert.True(Math.Abs(expected - actual) <= 1e-4f * (1 + Math.Abs(expected)), $"dim {dim}: loss {actual} vs {expected}");
            for (int i = 0; i < input.Length; i++)
                Assert.True(Math.Abs(input[i] - input2[i]) <= 1e-5f * (1 + Math.Abs(input[i])), $"dim {dim}: input[{i}] {input2[i]} vs {input[i]}");
            for (int i = 0; i < output.Length; i++)
                Assert.True(Math.Abs(output[i] - output2[i]) <= 1e-5f * (1 + Math.Abs(output[i])), $"dim {dim}: output[{i}] {output2[i]} vs {output[i]}");
        }
    }

    // The one-pass row update must leave every float as the two TensorPrimitives.MultiplyAdd passes
    // it replaced did: cached in-domain vectors and the shipped sentiment checkpoint depend on it.
    // (.ci/run runs these again with DOTNET_EnableAVX512=0 to cover the AVX2 path on an AVX-512 machine.)
    [Fact]
    public void Vectorized_EveryDimension_IsTheTwoPassStepBitForBit()
    {
        var random = new SeededRandom(5);
        for (int dim = 1; dim <= 67; dim++)
        {
            const int vocabulary = 12;
            int[] targets = [random.NextInt(vocabulary), random.NextInt(vocabulary), random.NextInt(vocabulary)];
            var input = GradientCheck.RandomArray(dim, random, -1f, 1f);
            var output = GradientCheck.RandomArray(vocabulary * dim, random, -1f, 1f);
            var (input2, output2) = ((float[])input.Clone(), (float[])output.Clone());

            float expected = TwoPassStep(input, output, targets, 0.05f);
            float actual = VectorizedSkipGramUpdate.Apply(input2, output2, targets, 0.05f, new float[dim]);

            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
            Assert.Equal(input, input2);
            Assert.Equal(output, output2);
        }
    }

    // The update as it was first written: a dot product and two MultiplyAdd passes per target.
    private static float TwoPassStep(float[] input, float[] output, int[] targets, float rate)
    {
        int dim = input.Length;
        var e = new float[dim];
        float loss = 0;
        for (int k = 0; k < targets.Length; k++)
        {
            var o = output.AsSpan(targets[k] * dim, dim);
            float s = TensorPrimitives.Dot(input, o);
            float z = MathF.Exp(-MathF.Abs(Math.Clamp(s, -30f, 30f)));
            float sigma = s >= 0 ? 1f / (1f + z) : z / (1f + z);
            float softplus = MathF.Log(1f + z);
            loss += k == 0 ? softplus + MathF.Max(-s, 0f) : softplus + MathF.Max(s, 0f);
            float g = rate * ((k == 0 ? 1f : 0f) - sigma);
            TensorPrimitives.MultiplyAdd(o, g, e, e);
            TensorPrimitives.MultiplyAdd(input, g, o, o);
        }
        TensorPrimitives.Add(input, e, input);
        return loss;
    }

    [Theory]
    [InlineData(200f)]
    [InlineData(-200f)]
    public void Vectorized_SaturatedScores_StayFinite(float score)
    {
        var input = new[] { 1f };
        var output = new[] { score, -score };
        float loss = VectorizedSkipGramUpdate.Apply(input, output, [0, 1], 0.1f, new float[1]);
        Assert.True(float.IsFinite(loss) && float.IsFinite(input[0]) && output.All(float.IsFinite));
        Assert.Equal(score > 0 ? 0f : 2 * -score, loss, 2);
    }
}
