using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// The row kernel of AVX2 machines (and the portable fallback): register blocking over 64 columns
/// at a time keeps eight independent accumulators in registers across the whole k loop (enough to
/// hide the FMA latency), so B is read once and c is written once (an axpy per k would load and
/// store c k times). Outputs of at most 8 columns take one vector per row of B instead of the
/// scalar tail (<see cref="NarrowRows"/>).
/// </summary>
internal readonly unsafe struct Avx2RowKernel : IRowKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate)
    {
        if (n <= 8 && ldb == n && k >= 4)
        {
            NarrowRows.Run256(a, k, b, n, c, accumulate);
            return;
        }
        ColumnBlocks(a, k, b, ldb, c, n, accumulate);
    }

    /// <summary>
    /// Groups of 2–4 rows (as <see cref="FewRows"/> groups them): through <see cref="NarrowRows.Rows256{TRows}"/> where
    /// <see cref="Run"/> takes NarrowRows.Run256, through <see cref="RemainderRows{TRows}"/> where it takes one
    /// <see cref="Remainder{TOrder}"/> pass (9–15 columns: the tagger's 9-label output layer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int RunNarrowRows(float* a, nint lda, int m, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
    {
        if (n <= 8 && ldb == n && k >= 4) return FewRows.Run<NarrowRows.Groups256>(a, lda, m, k, b, ldb, c, ldc, n, accumulate);
        return n <= RemainderRowsMaxColumns && Avx.IsSupported ? FewRows.Run<RemainderGroups>(a, lda, m, k, b, ldb, c, ldc, n, accumulate) : 0;
    }

    /// <summary>An eighth: each column block walks all of B's rows, so every row left out saves a full pass's share.</summary>
    public static int ListFromZeros(int k) => k / 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunListed(float* values, int* rows, int count, float* b, nint ldb, float* c, int n, bool accumulate) =>
        ColumnBlocks<NonzeroRows.ListedRows>(values, rows, count, b, ldb, c, n, accumulate);

    public static void ColumnBlocks(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate) =>
        ColumnBlocks<NonzeroRows.EveryRow>(a, null, k, b, ldb, c, n, accumulate);

    /// <summary>64 columns at a time, then the rest in one pass (<see cref="Remainder"/>), each block's accumulators in registers over all of k (entry q of a times row TOrder.Row(q) of B).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnBlocks<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int n, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder
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
            for (int q = 0; q < k; q++)
            {
                float* row = b + j + TOrder.Row(rows, q) * ldb;
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
        if (j < n && Avx.IsSupported)
        {
            Remainder<TOrder>(a, rows, k, b + j, ldb, c + j, n - j, accumulate);
            return;
        }
        // Without AVX (the portable kernel elsewhere): 32 and 8 columns, then one at a time.
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
            for (int q = 0; q < k; q++)
            {
                float* row = b + j + TOrder.Row(rows, q) * ldb;
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
            for (int q = 0; q < k; q++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(a[q]), Vector256.Load(b + j + TOrder.Row(rows, q) * ldb), acc);
            acc.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = accumulate ? c[j] : 0f;
            for (int q = 0; q < k; q++) sum = MathF.FusedMultiplyAdd(a[q], b[j + TOrder.Row(rows, q) * ldb], sum);
            c[j] = sum;
        }
    }

    /// <summary>
    /// The last 1–63 columns in one pass: up to eight accumulators, the last masked (a masked load never reads past the
    /// row). Each accumulator is one chain of dependent FMAs, so a pass of one to eight vectors costs about k FMA
    /// latencies however many columns it holds: the 44 columns left of a 300-wide layer took a 32-column pass and a
    /// 12-column one before (five passes a row instead of six), and the 12 a vector pass for 8 and four scalar passes before that.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Remainder<TOrder>(float* a, int* rows, int k, float* b, nint ldb, float* c, int cols, bool accumulate)
        where TOrder : struct, NonzeroRows.IRowOrder
    {
        int vectors = (cols + 7) / 8;
        var last = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols - 8 * (vectors - 1))).AsSingle();
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        if (accumulate)
        {
            c0 = Load(c, 0, vectors, last);
            if (vectors > 1) c1 = Load(c, 1, vectors, last);
            if (vectors > 2) c2 = Load(c, 2, vectors, last);
            if (vectors > 3) c3 = Load(c, 3, vectors, last);
            if (vectors > 4) c4 = Load(c, 4, vectors, last);
            if (vectors > 5) c5 = Load(c, 5, vectors, last);
            if (vectors > 6) c6 = Load(c, 6, vectors, last);
            if (vectors > 7) c7 = Load(c, 7, vectors, last);
        }
        for (int q = 0; q < k; q++)
        {
            float* row = b + TOrder.Row(rows, q) * ldb;
            var s = Vector256.Create(a[q]);
            c0 = Vector256.FusedMultiplyAdd(s, Load(row, 0, vectors, last), c0);
            if (vectors > 1) c1 = Vector256.FusedMultiplyAdd(s, Load(row, 1, vectors, last), c1);
            if (vectors > 2) c2 = Vector256.FusedMultiplyAdd(s, Load(row, 2, vectors, last), c2);
            if (vectors > 3) c3 = Vector256.FusedMultiplyAdd(s, Load(row, 3, vectors, last), c3);
            if (vectors > 4) c4 = Vector256.FusedMultiplyAdd(s, Load(row, 4, vectors, last), c4);
            if (vectors > 5) c5 = Vector256.FusedMultiplyAdd(s, Load(row, 5, vectors, last), c5);
            if (vectors > 6) c6 = Vector256.FusedMultiplyAdd(s, Load(row, 6, vectors, last), c6);
            if (vectors > 7) c7 = Vector256.FusedMultiplyAdd(s, Load(row, 7, vectors, last), c7);
        }
        Store(c, 0, vectors, last, c0);
        if (vectors > 1) Store(c, 1, vectors, last, c1);
        if (vectors > 2) Store(c, 2, vectors, last, c2);
        if (vectors > 3) Store(c, 3, vectors, last, c3);
        if (vectors > 4) Store(c, 4, vectors, last, c4);
        if (vectors > 5) Store(c, 5, vectors, last, c5);
        if (vectors > 6) Store(c, 6, vectors, last, c6);
        if (vectors > 7) Store(c, 7, vectors, last, c7);
    }

    /// <summary>Most columns <see cref="RemainderRows{TRows}"/> takes: two vectors a row.</summary>
    public const int RemainderRowsMaxColumns = 16;

    /// <summary>
    /// <see cref="Remainder{TOrder}"/> for TRows rows of A at once (row strides lda and ldc) and at most 16 columns, each
    /// vector of B loaded once for all of them. One row's one or two chains of dependent FMAs leave the FMA units idle
    /// most of the time (k latencies a pass); four rows' eight chains fill them. Each row is summed exactly as
    /// Remainder sums it alone (from c or zero, in the order of q). Needs AVX (masked loads).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RemainderRows<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int cols, bool accumulate)
        where TRows : struct, WideRows.ICount
    {
        int vectors = (cols + 7) / 8;
        var last = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols - 8 * (vectors - 1))).AsSingle();
        // Rows beyond the count alias row 0 and the JIT drops their code (TRows.Count is a constant).
        float* a0 = a, a1 = a + lda, a2 = TRows.Count > 2 ? a + 2 * lda : a, a3 = TRows.Count > 3 ? a + 3 * lda : a;
        float* c0 = c, c1 = c + ldc, c2 = TRows.Count > 2 ? c + 2 * ldc : c, c3 = TRows.Count > 3 ? c + 3 * ldc : c;
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        if (accumulate)
        {
            s00 = Load(c0, 0, vectors, last); s10 = Load(c1, 0, vectors, last);
            if (TRows.Count > 2) s20 = Load(c2, 0, vectors, last);
            if (TRows.Count > 3) s30 = Load(c3, 0, vectors, last);
            if (vectors > 1)
            {
                s01 = Load(c0, 1, vectors, last); s11 = Load(c1, 1, vectors, last);
                if (TRows.Count > 2) s21 = Load(c2, 1, vectors, last);
                if (TRows.Count > 3) s31 = Load(c3, 1, vectors, last);
            }
        }
        float* row = b;
        if (vectors == 1)
        {
            for (int q = 0; q < k; q++, row += ldb)
            {
                var b0 = Avx.MaskLoad(row, last);
                s00 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[q]), b0, s00);
                s10 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[q]), b0, s10);
                if (TRows.Count > 2) s20 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[q]), b0, s20);
                if (TRows.Count > 3) s30 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[q]), b0, s30);
            }
        }
        else
        {
            for (int q = 0; q < k; q++, row += ldb)
            {
                var b0 = Vector256.Load(row);
                var b1 = Avx.MaskLoad(row + 8, last);
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
        }
        Store(c0, 0, vectors, last, s00); Store(c1, 0, vectors, last, s10);
        if (TRows.Count > 2) Store(c2, 0, vectors, last, s20);
        if (TRows.Count > 3) Store(c3, 0, vectors, last, s30);
        if (vectors > 1)
        {
            Store(c0, 1, vectors, last, s01); Store(c1, 1, vectors, last, s11);
            if (TRows.Count > 2) Store(c2, 1, vectors, last, s21);
            if (TRows.Count > 3) Store(c3, 1, vectors, last, s31);
        }
    }

    /// <summary>Groups of rows for <see cref="FewRows.Run{TGroup}"/>: <see cref="RemainderRows{TRows}"/> (at most 16 columns).</summary>
    internal readonly struct RemainderGroups : FewRows.IGroupKernel
    {
        public static void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
            where TRows : struct, WideRows.ICount => RemainderRows<TRows>(a, lda, k, b, ldb, c, ldc, n, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* p, int i, int vectors, Vector256<float> last) =>
        i == vectors - 1 ? Avx.MaskLoad(p + 8 * i, last) : Vector256.Load(p + 8 * i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* p, int i, int vectors, Vector256<float> last, Vector256<float> value)
    {
        if (i == vectors - 1) Avx.MaskStore(p + 8 * i, last, value);
        else value.Store(p + 8 * i);
    }
}
