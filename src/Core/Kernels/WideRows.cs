using System.Runtime.CompilerServices;

namespace ServeNet.Core.Kernels;

/// <summary>
/// C[r, 0..n) (+)= Σ_q A[r, q]·B[q, 0..n) for one to four rows with AVX-512: C lives in zmm registers for all of k, one
/// accumulator per row and 16 columns and up to <see cref="MaxAccumulators"/> of them, so one row of a 300-wide layer is
/// one pass that reads each row of B once, front to back — one stream the hardware prefetches, and no c reloaded per row
/// of B. Wider outputs (or more rows) take passes of equal width. The last 1–16 columns use masked loads and stores.
/// Each sum is accumulated from c (or zero) in the order of q, as <see cref="Avx2RowKernel"/> does, so one row agrees
/// with it bit for bit. Measured on Zen 5 (docs/benchmarks.md §1g): 1×300×300 2.1× the four-row sweep of Vector256 it
/// replaced, 1.6–1.9× OpenBLAS's AVX-512 kernels; 2–7 rows of a 1500-wide product 1.2–1.4× the 32-column zmm strips
/// <see cref="FewRows"/> had.
/// </summary>
internal static unsafe partial class WideRows
{
    /// <summary>One row a (its entries listed by TOrder) times B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int n, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder =>
        Run<N1, TOrder>(a, 0, rows, k, b, ldb, c, 0, n, accumulate);

    /// <summary>TRows rows of A (row stride lda) times B into TRows rows of C (row stride ldc): B read once for all of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
        where TRows : struct, ICount =>
        Run<TRows, NonzeroRows.EveryRow>(a, lda, null, k, b, ldb, c, ldc, n, accumulate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRows, TOrder>(float* a, nint lda, int* rows, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
        where TRows : struct, ICount where TOrder : struct, NonzeroRows.IRowOrder
    {
        int vectors = (n + 15) / 16, most = MaxAccumulators / TRows.Count;
        int passes = (vectors + most - 1) / most;
        for (int pass = 0, j = 0; pass < passes; pass++)
        {
            int width = (vectors - j / 16 + passes - pass - 1) / (passes - pass); // the rest, split evenly
            int cols = Math.Min(16 * width, n - j);
            Pass<TRows, TOrder>(width, a, lda, rows, k, b + j, ldb, c + j, ldc, cols, accumulate);
            j += cols;
        }
    }
}
