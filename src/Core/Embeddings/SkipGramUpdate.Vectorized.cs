using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ServeNet.Core.Kernels;

namespace ServeNet.Core.Embeddings;

/// <summary>
/// The skip-gram step on whole rows, vectorised (AVX-512/AVX2 as the CPU has them): one dot product
/// per target, then one pass that updates both e and the target's output row.
/// </summary>
internal readonly struct VectorizedSkipGramUpdate : ISkipGramUpdate
{
    public static string Name => "vectorized";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(Span<float> input, float[] output, ReadOnlySpan<int> targets, float rate, Span<float> e)
    {
        int dim = input.Length;
        e.Clear();
        // The noise words' rows are scattered over a table larger than the cache: ask for all of
        // them now, so their misses overlap instead of stalling one target after another.
        for (int k = 0; k < targets.Length; k++) CacheHints.Prefetch(output.AsSpan(targets[k] * dim, dim));
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
            AccumulateAndStep(input, o, e, g);
        }
        TensorPrimitives.Add(input, e, input);
        return loss;
    }

    /// <summary>
    /// e += g·o, then o += g·h, in one pass over the row. Plain multiply then add (not fused), as
    /// TensorPrimitives.MultiplyAdd computes it, so the vectors stay the same bit for bit as the
    /// two-pass version's (cached vectors and shipped checkpoints were made with that one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateAndStep(ReadOnlySpan<float> h, Span<float> o, Span<float> e, float g)
    {
        int i = 0, n = h.Length;
        ref float hRef = ref MemoryMarshal.GetReference(h);
        ref float oRef = ref MemoryMarshal.GetReference(o);
        ref float eRef = ref MemoryMarshal.GetReference(e);
        if (Vector512.IsHardwareAccelerated)
        {
            var gv = Vector512.Create(g);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var ov = Vector512.LoadUnsafe(ref oRef, (nuint)i);
                (ov * gv + Vector512.LoadUnsafe(ref eRef, (nuint)i)).StoreUnsafe(ref eRef, (nuint)i);
                (Vector512.LoadUnsafe(ref hRef, (nuint)i) * gv + ov).StoreUnsafe(ref oRef, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var gv = Vector256.Create(g);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var ov = Vector256.LoadUnsafe(ref oRef, (nuint)i);
                (ov * gv + Vector256.LoadUnsafe(ref eRef, (nuint)i)).StoreUnsafe(ref eRef, (nuint)i);
                (Vector256.LoadUnsafe(ref hRef, (nuint)i) * gv + ov).StoreUnsafe(ref oRef, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float oi = o[i];
            e[i] = oi * g + e[i];
            o[i] = h[i] * g + oi;
        }
    }
}
