using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ServeNet.Core.Kernels;

/// <summary>
/// c[0..n) (+)= a·B for an output narrower than one vector (a 2- or 9-label output layer): B's rows
/// are contiguous (ldb = n), so one vector load at row q holds all of row q in its first n lanes —
/// the other lanes hold the next rows' values, which are multiplied but never read back. k vector
/// FMAs instead of k·n scalar ones. Rows whose load would run past B's end are finished in scalar.
/// </summary>
internal static unsafe class NarrowRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run512(float* a, int k, float* b, int n, float* c, bool accumulate)
    {
        // Row q's load reads b[q·n .. q·n + 16): inside B while q·n + 16 ≤ k·n.
        int safe = SafeRows(k, n, Vector512<float>.Count);
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero; // two chains hide the FMA latency
        int q = 0;
        for (; q + 2 <= safe; q += 2)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[q]), Vector512.Load(b + q * n), s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[q + 1]), Vector512.Load(b + (q + 1) * n), s1);
        }
        float* sum = stackalloc float[Vector512<float>.Count];
        (s0 + s1).Store(sum);
        Finish(a, k, b, n, c, accumulate, q, sum);
    }

    /// <summary>
    /// <see cref="Run512"/> for TRows rows of A at once (row strides lda and ldc), each vector of B loaded once for all of
    /// them. One row's two chains of dependent FMAs leave the FMA units mostly idle (k/2 latencies a row); four rows'
    /// eight chains fill them: 64×300×2 (the DAN's output layer over a batch) and 16×300×9 (the tagger's, a sentence)
    /// 2.2× row by row on Zen 5. Each row is summed exactly as <see cref="Run512"/> sums it alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows512<TRows>(float* a, nint lda, int k, float* b, int n, float* c, nint ldc, bool accumulate)
        where TRows : struct, WideRows.ICount
    {
        int safe = SafeRows(k, n, Vector512<float>.Count);
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        Vector512<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        int q = 0;
        for (; q + 2 <= safe; q += 2)
        {
            var even = Vector512.Load(b + q * n);
            var odd = Vector512.Load(b + (q + 1) * n);
            s00 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[q]), even, s00);
            s01 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[q + 1]), odd, s01);
            if (TRows.Count > 1)
            {
                s10 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[q]), even, s10);
                s11 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[q + 1]), odd, s11);
            }
            if (TRows.Count > 2)
            {
                s20 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[q]), even, s20);
                s21 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[q + 1]), odd, s21);
            }
            if (TRows.Count > 3)
            {
                s30 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[q]), even, s30);
                s31 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[q + 1]), odd, s31);
            }
        }
        // Every row's sum stored before the first call: the JIT keeps a vector that is live across a call on the stack
        // all along, in the loop too (a store and a load on every FMA chain: slower than row by row).
        float* sums = stackalloc float[4 * Vector512<float>.Count];
        (s00 + s01).Store(sums);
        if (TRows.Count > 1) (s10 + s11).Store(sums + 16);
        if (TRows.Count > 2) (s20 + s21).Store(sums + 32);
        if (TRows.Count > 3) (s30 + s31).Store(sums + 48);
        Finish(a0, k, b, n, c, accumulate, q, sums);
        if (TRows.Count > 1) Finish(a1, k, b, n, c + ldc, accumulate, q, sums + 16);
        if (TRows.Count > 2) Finish(a2, k, b, n, c + 2 * ldc, accumulate, q, sums + 32);
        if (TRows.Count > 3) Finish(a3, k, b, n, c + 3 * ldc, accumulate, q, sums + 48);
    }

    /// <summary>
    /// <see cref="Run256"/> for TRows rows of A at once (row strides lda and ldc), each vector of B loaded once for all of
    /// them, as <see cref="Rows512{TRows}"/> does with AVX-512. Each row is summed exactly as <see cref="Run256"/> sums it alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows256<TRows>(float* a, nint lda, int k, float* b, int n, float* c, nint ldc, bool accumulate)
        where TRows : struct, WideRows.ICount
    {
        int safe = SafeRows(k, n, Vector256<float>.Count);
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        int q = 0;
        for (; q + 2 <= safe; q += 2)
        {
            var even = Vector256.Load(b + q * n);
            var odd = Vector256.Load(b + (q + 1) * n);
            s00 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[q]), even, s00);
            s01 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[q + 1]), odd, s01);
            if (TRows.Count > 1)
            {
                s10 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[q]), even, s10);
                s11 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[q + 1]), odd, s11);
            }
            if (TRows.Count > 2)
            {
                s20 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[q]), even, s20);
                s21 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[q + 1]), odd, s21);
            }
            if (TRows.Count > 3)
            {
                s30 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[q]), even, s30);
                s31 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[q + 1]), odd, s31);
            }
        }
        // Every row's sum stored before the first call (see Rows512).
        float* sums = stackalloc float[4 * Vector256<float>.Count];
        (s00 + s01).Store(sums);
        if (TRows.Count > 1) (s10 + s11).Store(sums + 8);
        if (TRows.Count > 2) (s20 + s21).Store(sums + 16);
        if (TRows.Count > 3) (s30 + s31).Store(sums + 24);
        Finish(a0, k, b, n, c, accumulate, q, sums);
        if (TRows.Count > 1) Finish(a1, k, b, n, c + ldc, accumulate, q, sums + 8);
        if (TRows.Count > 2) Finish(a2, k, b, n, c + 2 * ldc, accumulate, q, sums + 16);
        if (TRows.Count > 3) Finish(a3, k, b, n, c + 3 * ldc, accumulate, q, sums + 24);
    }

    /// <summary>Groups of rows for <see cref="FewRows.Run{TGroup}"/>: <see cref="Rows512{TRows}"/> (B's rows contiguous, ldb = n).</summary>
    internal readonly struct Groups512 : FewRows.IGroupKernel
    {
        public static void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
            where TRows : struct, WideRows.ICount => Rows512<TRows>(a, lda, k, b, n, c, ldc, accumulate);
    }

    /// <summary>Groups of rows for <see cref="FewRows.Run{TGroup}"/>: <see cref="Rows256{TRows}"/> (B's rows contiguous, ldb = n).</summary>
    internal readonly struct Groups256 : FewRows.IGroupKernel
    {
        public static void Group<TRows>(float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate)
            where TRows : struct, WideRows.ICount => Rows256<TRows>(a, lda, k, b, n, c, ldc, accumulate);
    }

    /// <summary>The same with 8-float vectors, for AVX2 (ISimdVector, which would make one generic version, is not public in .NET 10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run256(float* a, int k, float* b, int n, float* c, bool accumulate)
    {
        int safe = SafeRows(k, n, Vector256<float>.Count);
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        int q = 0;
        for (; q + 2 <= safe; q += 2)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[q]), Vector256.Load(b + q * n), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[q + 1]), Vector256.Load(b + (q + 1) * n), s1);
        }
        float* sum = stackalloc float[Vector256<float>.Count];
        (s0 + s1).Store(sum);
        Finish(a, k, b, n, c, accumulate, q, sum);
    }

    // Rows q with q·n + width ≤ k·n.
    private static int SafeRows(int k, int n, int width) => (int)Math.Clamp(((long)k * n - width) / n + 1, 0, k);

    private static void Finish(float* a, int k, float* b, int n, float* c, bool accumulate, int q, float* sum)
    {
        for (; q < k; q++)
            for (int j = 0; j < n; j++) sum[j] = MathF.FusedMultiplyAdd(a[q], b[q * n + j], sum[j]);
        for (int j = 0; j < n; j++) c[j] = accumulate ? c[j] + sum[j] : sum[j];
    }
}
