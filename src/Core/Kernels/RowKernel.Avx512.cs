using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ServeNet.Core.Kernels;

/// <summary>
/// The row kernel of AVX-512 machines, chosen by shape from measurements on AMD Zen 4
/// (docs/benchmarks.md): outputs of at most 16 columns take one Vector512 per row of B
/// (<see cref="NarrowRows"/>); a deep B (k ≥ 200 rows) is swept four rows at a time across all
/// columns (<see cref="RowSweep"/>: four contiguous streams the hardware prefetches well, c
/// reloaded from L1 once per four rows) instead of walking down every row for each column block;
/// a shallower B keeps the AVX2 kernel's column blocks, whose accumulators stay in registers.
/// Measured with `bench rows` (1×k·k×n, one thread, same run): 300×300 and 500×300 +13–14% over
/// column blocks, 100×300 −5% (so it keeps column blocks), 300×9 and 300×2 2.7×.
/// </summary>
internal readonly unsafe struct Avx512RowKernel : IRowKernel
{
    /// <summary>Rows of B from which the row sweep beats column blocks (measured between 100 and 300).</summary>
    public const int SweepFromDepth = 200;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate)
    {
        if (n <= 16 && ldb == n && k >= 2) NarrowRows.Run512(a, k, b, n, c, accumulate);
        else SweepOrColumns<NonzeroRows.EveryRow>(a, null, k, b, ldb, c, n, accumulate);
    }

    public static void RunListed(float* values, int* rows, int count, float* b, nint ldb, float* c, int n, bool accumulate) =>
        SweepOrColumns<NonzeroRows.ListedRows>(values, rows, count, b, ldb, c, n, accumulate);

    // The one depth rule, whichever rows of B are read: deep enough, the row sweep; otherwise the column blocks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SweepOrColumns<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int n, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder
    {
        if (k >= SweepFromDepth && n >= 16) RowSweep<TOrder>(a, rows, k, b, ldb, c, n, accumulate);
        else Avx2RowKernel.ColumnBlocks<TOrder>(a, rows, k, b, ldb, c, n, accumulate);
    }

    public static void RowSweep(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate) =>
        RowSweep<NonzeroRows.EveryRow>(a, null, k, b, ldb, c, n, accumulate);

    /// <summary>
    /// c += a[q..q+4)·B[q..q+4, :] for q in steps of 4: 16 columns per step in two Vector256 chains
    /// (on Zen 4 a Vector512 is two 256-bit halves anyway, and the narrower chains measured faster).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowSweep<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int n, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder
    {
        if (!accumulate) new Span<float>(c, n).Clear();
        int q = 0;
        for (; q + 4 <= k; q += 4)
        {
            var s0 = Vector256.Create(a[q]);
            var s1 = Vector256.Create(a[q + 1]);
            var s2 = Vector256.Create(a[q + 2]);
            var s3 = Vector256.Create(a[q + 3]);
            float* r0 = b + TOrder.Row(rows, q) * ldb, r1 = b + TOrder.Row(rows, q + 1) * ldb;
            float* r2 = b + TOrder.Row(rows, q + 2) * ldb, r3 = b + TOrder.Row(rows, q + 3) * ldb;
            int j = 0;
            for (; j + 16 <= n; j += 16)
            {
                var v = Vector256.Load(c + j);
                var w = Vector256.Load(c + j + 8);
                v = Vector256.FusedMultiplyAdd(s0, Vector256.Load(r0 + j), v);
                w = Vector256.FusedMultiplyAdd(s0, Vector256.Load(r0 + j + 8), w);
                v = Vector256.FusedMultiplyAdd(s1, Vector256.Load(r1 + j), v);
                w = Vector256.FusedMultiplyAdd(s1, Vector256.Load(r1 + j + 8), w);
                v = Vector256.FusedMultiplyAdd(s2, Vector256.Load(r2 + j), v);
                w = Vector256.FusedMultiplyAdd(s2, Vector256.Load(r2 + j + 8), w);
                v = Vector256.FusedMultiplyAdd(s3, Vector256.Load(r3 + j), v);
                w = Vector256.FusedMultiplyAdd(s3, Vector256.Load(r3 + j + 8), w);
                v.Store(c + j);
                w.Store(c + j + 8);
            }
            for (; j < n; j++)
                c[j] = MathF.FusedMultiplyAdd(a[q + 3], r3[j], MathF.FusedMultiplyAdd(a[q + 2], r2[j],
                    MathF.FusedMultiplyAdd(a[q + 1], r1[j], MathF.FusedMultiplyAdd(a[q], r0[j], c[j]))));
        }
        for (; q < k; q++)
        {
            float* row = b + TOrder.Row(rows, q) * ldb;
            var s = Vector256.Create(a[q]);
            int j = 0;
            for (; j + 8 <= n; j += 8) Vector256.FusedMultiplyAdd(s, Vector256.Load(row + j), Vector256.Load(c + j)).Store(c + j);
            for (; j < n; j++) c[j] = MathF.FusedMultiplyAdd(a[q], row[j], c[j]);
        }
    }
}
