using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ServeNet.Core.Kernels;

/// <summary>
/// c[0..n) (+)= Σ_k a[k]·B[k, 0..n) for one row a: the product of batch-1 inference. Register blocking
/// over 64 columns at a time keeps eight independent accumulators in registers across the whole k
/// loop (enough to hide the FMA latency), so B is read once and c is written once (an axpy per k
/// would load and store c k times).
/// </summary>
internal static unsafe class RowTimesMatrix
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            Vector256<float> c0, c1, c2, c3, c4, c5, c6, c7;
            if (accumulate)
            {
                c0 = Vector256.Load(c + j); c1 = Vector256.Load(c + j + 8); c2 = Vector256.Load(c + j + 16); c3 = Vector256.Load(c + j + 24);
                c4 = Vector256.Load(c + j + 32); c5 = Vector256.Load(c + j + 40); c6 = Vector256.Load(c + j + 48); c7 = Vector256.Load(c + j + 56);
            }
            else
            {
                c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = Vector256<float>.Zero;
            }
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb)
            {
                var s = Vector256.Create(a[q]);
                c0 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row), c0);
                c1 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 8), c1);
                c2 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 16), c2);
                c3 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 24), c3);
                c4 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 32), c4);
                c5 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 40), c5);
                c6 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 48), c6);
                c7 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 56), c7);
            }
            c0.Store(c + j); c1.Store(c + j + 8); c2.Store(c + j + 16); c3.Store(c + j + 24);
            c4.Store(c + j + 32); c5.Store(c + j + 40); c6.Store(c + j + 48); c7.Store(c + j + 56);
        }
        for (; j + 32 <= n; j += 32)
        {
            Vector256<float> c0, c1, c2, c3;
            if (accumulate)
            {
                c0 = Vector256.Load(c + j); c1 = Vector256.Load(c + j + 8); c2 = Vector256.Load(c + j + 16); c3 = Vector256.Load(c + j + 24);
            }
            else
            {
                c0 = c1 = c2 = c3 = Vector256<float>.Zero;
            }
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb)
            {
                var s = Vector256.Create(a[q]);
                c0 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row), c0);
                c1 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 8), c1);
                c2 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 16), c2);
                c3 = Vector256.FusedMultiplyAdd(s, Vector256.Load(row + 24), c3);
            }
            c0.Store(c + j); c1.Store(c + j + 8); c2.Store(c + j + 16); c3.Store(c + j + 24);
        }
        for (; j + 8 <= n; j += 8)
        {
            var acc = accumulate ? Vector256.Load(c + j) : Vector256<float>.Zero;
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb) acc = Vector256.FusedMultiplyAdd(Vector256.Create(a[q]), Vector256.Load(row), acc);
            acc.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = accumulate ? c[j] : 0f;
            float* row = b + j;
            for (int q = 0; q < k; q++, row += ldb) sum = MathF.FusedMultiplyAdd(a[q], *row, sum);
            c[j] = sum;
        }
    }
}
