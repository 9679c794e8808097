using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// C[r, :] (+)= A[r, :]·B for two to four rows at once: products with fewer rows than a register tile
/// (small batches; the tagger's rare words, projected through a [100, 1500] weight block). Row by row,
/// B is read once per row, and a B of a few hundred KB comes from L3 each time, which bounds the
/// product; here B is read once for all rows of the group. The row count is a type parameter, so the
/// JIT compiles one loop per count with every accumulator in a register. With AVX-512, <see cref="WideRows"/>
/// (up to 24 zmm accumulators: 96–192 columns per pass for 4–2 rows; 1.2–1.4× the 32-column zmm strips it
/// replaced on a 1500-wide B and 2.1–2.3× on a 300-wide one, Zen 5, docs/benchmarks.md §1g); AVX2 machines
/// take 16-column ymm strips.
/// </summary>
internal static unsafe class FewRows
{
    /// <summary>Columns from which a group pays (narrower outputs go row by row through the row kernel).</summary>
    public const int MinColumns = 16;

    // How far ahead of a 16-column strip its rows are prefetched: two strips (128 bytes; a prefetch past the end of B
    // never faults), and from which row length (a 4 KB page).
    private const int PrefetchColumns = 32, PrefetchMinRowFloats = 1024;

    /// <summary>Runs the rows [0, done) in groups of 2–4 and returns done: all rows, or all but a last single one.</summary>
    public static int Run(float* a, nint lda, int m, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate) =>
        Run<Groups>(a, lda, m, k, b, ldb, c, ldc, n, accumulate);

    /// <summary>How a group of 2–4 rows is multiplied: this class's own, or a narrow output's (<see cref="NarrowRows"/>).</summary>
    internal interface IGroupKernel
    {
        static abstract void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
            where TRows : struct, WideRows.ICount;
    }

    /// <summary>The grouping of <see cref="Run(float*, nint, int, int, float*, nint, float*, nint, int, bool)"/>, whatever multiplies a group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run<TGroup>(float* a, nint lda, int m, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
        where TGroup : struct, IGroupKernel
    {
        int r = 0;
        for (; m - r >= 4 && m - r != 5; r += 4) TGroup.Group<WideRows.N4>(a + r * lda, lda, k, b, ldb, c + r * ldc, ldc, n, accumulate);
        switch (m - r)
        {
            case 5: // 3 + 2 rather than 4 + a row alone
                TGroup.Group<WideRows.N3>(a + r * lda, lda, k, b, ldb, c + r * ldc, ldc, n, accumulate);
                TGroup.Group<WideRows.N2>(a + (r + 3) * lda, lda, k, b, ldb, c + (r + 3) * ldc, ldc, n, accumulate);
                return m;
            case 3:
                TGroup.Group<WideRows.N3>(a + r * lda, lda, k, b, ldb, c + r * ldc, ldc, n, accumulate);
                return m;
            case 2:
                TGroup.Group<WideRows.N2>(a + r * lda, lda, k, b, ldb, c + r * ldc, ldc, n, accumulate);
                return m;
            default:
                return r; // 0 or 1 row left: the row kernel's
        }
    }

    private readonly struct Groups : IGroupKernel
    {
        public static void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
            where TRows : struct, WideRows.ICount => FewRows.Group<TRows>(a, lda, k, b, ldb, c, ldc, n, accumulate);
    }

    /// <summary>Zmm passes where the CPU has them; benchmarks switch it off to time the 256-bit strips in the same run.</summary>
    internal static bool PreferVector512 { get; set; } = true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
        where TRows : struct, WideRows.ICount
    {
        if (PreferVector512 && Vector512.IsHardwareAccelerated) WideRows.Rows<TRows>(a, lda, k, b, ldb, c, ldc, n, accumulate);
        else Group256<TRows>(a, lda, k, b, ldb, c, ldc, n, accumulate);
    }

    // Rows beyond the count alias row 0 and the JIT drops their code (TRows.Count is a constant).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Group256<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
        where TRows : struct, WideRows.ICount
    {
        float* a0 = a, a1 = a + lda, a2 = TRows.Count > 2 ? a + 2 * lda : a, a3 = TRows.Count > 3 ? a + 3 * lda : a;
        float* c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
        // A strip reads 64 bytes of each of B's k rows. Rows longer than a page (the tagger's [100, 1500] window weights)
        // put every read on another page, a pattern the hardware prefetchers do not follow: each row's line two strips
        // on is asked for now (2×100×1500 and 4×100×1500 1.19–1.26× the GFLOPS paired, docs/benchmarks.md §1j). Shorter rows,
        // whose reads the prefetchers do follow, are left alone (3×900×300 read 0.93× with the prefetch).
        bool prefetch = Sse.IsSupported && ldb >= PrefetchMinRowFloats;
        int j = 0;
        for (; j + 16 <= n; j += 16)
        {
            Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default;
            Vector256<float> s20 = default, s21 = default, s30 = default, s31 = default;
            float* bq = b + j;
            for (int q = 0; q < k; q++, bq += ldb)
            {
                if (prefetch) Sse.Prefetch0(bq + PrefetchColumns);
                var b0 = Vector256.Load(bq);
                var b1 = Vector256.Load(bq + 8);
                var x = Vector256.Create(a0[q]);
                s00 = Vector256.FusedMultiplyAdd(x, b0, s00);
                s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
                x = Vector256.Create(a1[q]);
                s10 = Vector256.FusedMultiplyAdd(x, b0, s10);
                s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
                if (TRows.Count > 2)
                {
                    x = Vector256.Create(a2[q]);
                    s20 = Vector256.FusedMultiplyAdd(x, b0, s20);
                    s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
                }
                if (TRows.Count > 3)
                {
                    x = Vector256.Create(a3[q]);
                    s30 = Vector256.FusedMultiplyAdd(x, b0, s30);
                    s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
                }
            }
            Store(c0 + j, s00, accumulate); Store(c0 + j + 8, s01, accumulate);
            Store(c1 + j, s10, accumulate); Store(c1 + j + 8, s11, accumulate);
            if (TRows.Count > 2) { Store(c2 + j, s20, accumulate); Store(c2 + j + 8, s21, accumulate); }
            if (TRows.Count > 3) { Store(c3 + j, s30, accumulate); Store(c3 + j + 8, s31, accumulate); }
        }
        // The last n mod 16 columns: in one masked pass for all the rows (row by row, a pass of one or two chains of
        // dependent FMAs each, they took a sixth of a four-row 300-wide product), summed as the row kernel sums them.
        if (j == n) return;
        if (Avx.IsSupported) Avx2RowKernel.RemainderRows<TRows>(a, lda, k, b + j, ldb, c + j, ldc, n - j, accumulate);
        else
            for (int r = 0; r < TRows.Count; r++)
                Avx2RowKernel.ColumnBlocks(a + r * lda, k, b + j, ldb, c + r * ldc + j, n - j, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> sum, bool accumulate) =>
        (accumulate ? Vector256.Load(c) + sum : sum).Store(c);

}
