using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    /// <summary>An eighth: each column block walks all of B's rows, so every row left out saves a full pass's share.</summary>
    public static int ListFromZeros(int k) => k / 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunListed(float* values, int* rows, int count, float* b, nint ldb, float* c, int n, bool accumulate) =>
        ColumnBlocks<NonzeroRows.ListedRows>(values, rows, count, b, ldb, c, n, accumulate);

    public static void ColumnBlocks(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate) =>
        ColumnBlocks<NonzeroRows.EveryRow>(a, null, k, b, ldb, c, n, accumulate);

    /// <summary>64, 32, then 8 columns at a time, each block's accumulators in registers over all of k (entry q of a times row TOrder.Row(q) of B).</summary>
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
}
