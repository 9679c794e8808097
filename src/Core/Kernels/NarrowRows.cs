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
