using System.Runtime.CompilerServices;

namespace ServeNet.Core.Kernels;

/// <summary>
/// c[0..n) (+)= Σ_q a[q]·B[q, 0..n) with AVX-512: c lives in zmm registers for all of k, one accumulator per
/// 16 columns and up to <see cref="MaxVectors"/> of them, so a 300-wide layer is one pass that reads each row
/// of B once, front to back — one stream the hardware prefetches, and no c reloaded per row of B. Wider
/// outputs take passes of equal width. The last 1–16 columns use masked loads and stores. Each column's
/// sum is accumulated in the order of q, as <see cref="Avx2RowKernel"/> does, so the kernels agree bit for bit.
/// Measured on Zen 5 (docs/benchmarks.md §1g): 1×300×300 2.1× the four-row sweep of Vector256 it replaces.
/// </summary>
internal static unsafe partial class WideRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int n, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder
    {
        int vectors = (n + 15) / 16;
        int passes = (vectors + MaxVectors - 1) / MaxVectors;
        for (int pass = 0, j = 0; pass < passes; pass++)
        {
            int width = (vectors - j / 16 + passes - pass - 1) / (passes - pass); // the rest, split evenly
            int cols = Math.Min(16 * width, n - j);
            Pass<TOrder>(width, a, rows, k, b + j, ldb, c + j, cols, accumulate);
            j += cols;
        }
    }
}
