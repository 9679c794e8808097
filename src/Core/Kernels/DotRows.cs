using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ServeNet.Core.Kernels;

/// <summary>
/// c[j] += Σ_q a[q]·B[j, q] for one vector a [k] and B stored [n, k]: a matrix times a vector when the matrix is kept
/// row per output (the sentiment DAN's scope maps, y += M·x, in the plain network at inference: explanations and the
/// trainer's evaluations; a loaded model's /classify folds the maps into its first layer, Sentiment/PrecomputedBagLayer).
/// Each output is a dot product with a row of B; four rows go at once, two accumulators each (eight independent chains
/// hide the FMA latency), so a is read once per four outputs and there is one call per four rows instead of a library
/// call per row. 200×200: 1.6–1.7× a dot product per row, on a par with OpenBLAS's AVX-512 kernels (`bench rows`,
/// docs/benchmarks.md §1d and §1e).
/// </summary>
internal static unsafe class DotRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddTo(float* a, int k, float* b, nint ldb, float* c, int n)
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            float* b0 = b + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int q = 0;
            for (; q + 16 <= k; q += 16)
            {
                var x = Vector256.Load(a + q);
                var y = Vector256.Load(a + q + 8);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b0 + q), s0);
                t0 = Vector256.FusedMultiplyAdd(y, Vector256.Load(b0 + q + 8), t0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b1 + q), s1);
                t1 = Vector256.FusedMultiplyAdd(y, Vector256.Load(b1 + q + 8), t1);
                s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b2 + q), s2);
                t2 = Vector256.FusedMultiplyAdd(y, Vector256.Load(b2 + q + 8), t2);
                s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b3 + q), s3);
                t3 = Vector256.FusedMultiplyAdd(y, Vector256.Load(b3 + q + 8), t3);
            }
            if (q + 8 <= k)
            {
                var x = Vector256.Load(a + q);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b0 + q), s0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b1 + q), s1);
                s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b2 + q), s2);
                s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b3 + q), s3);
                q += 8;
            }
            float d0 = Vector256.Sum(s0 + t0), d1 = Vector256.Sum(s1 + t1), d2 = Vector256.Sum(s2 + t2), d3 = Vector256.Sum(s3 + t3);
            for (; q < k; q++)
            {
                d0 = MathF.FusedMultiplyAdd(a[q], b0[q], d0);
                d1 = MathF.FusedMultiplyAdd(a[q], b1[q], d1);
                d2 = MathF.FusedMultiplyAdd(a[q], b2[q], d2);
                d3 = MathF.FusedMultiplyAdd(a[q], b3[q], d3);
            }
            c[j] += d0;
            c[j + 1] += d1;
            c[j + 2] += d2;
            c[j + 3] += d3;
        }
        for (; j < n; j++)
        {
            float* row = b + j * ldb;
            float d = 0f;
            for (int q = 0; q < k; q++) d = MathF.FusedMultiplyAdd(a[q], row[q], d);
            c[j] += d;
        }
    }
}
