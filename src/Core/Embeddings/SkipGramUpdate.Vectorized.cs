using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ServeNet.Core.Embeddings;

/// <summary>
/// The skip-gram step on whole rows with <see cref="TensorPrimitives"/> (AVX-512/AVX2/SSE as the CPU
/// has them): one dot product and two fused multiply-adds of length dim per target.
/// </summary>
internal readonly struct VectorizedSkipGramUpdate : ISkipGramUpdate
{
    public static string Name => "vectorized";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(Span<float> input, float[] output, ReadOnlySpan<int> targets, float rate, Span<float> e)
    {
        int dim = input.Length;
        e.Clear();
        float loss = 0;
        for (int k = 0; k < targets.Length; k++)
        {
            var o = output.AsSpan(targets[k] * dim, dim);
            float s = TensorPrimitives.Dot(input, o);
            // σ(s) and log σ(±s) from one exponential; |s| is capped where σ is 0 or 1 in float anyway.
            float z = MathF.Exp(-MathF.Abs(Math.Clamp(s, -30f, 30f)));
            float sigma = s >= 0 ? 1f / (1f + z) : z / (1f + z);
            float softplus = MathF.Log(1f + z); // log(1 + e^−|s|)
            loss += k == 0 ? softplus + MathF.Max(-s, 0f) : softplus + MathF.Max(s, 0f);
            float g = rate * ((k == 0 ? 1f : 0f) - sigma);
            TensorPrimitives.MultiplyAdd(o, g, e, e);
            TensorPrimitives.MultiplyAdd(input, g, o, o);
        }
        TensorPrimitives.Add(input, e, input);
        return loss;
    }
}
