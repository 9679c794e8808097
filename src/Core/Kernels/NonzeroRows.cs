using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// The rows of B a row vector uses. After a ReLU about half of a hidden layer's inputs are exactly
/// zero, and a zero adds nothing to c (exactly, for a finite B), so the row-vector path lists the
/// nonzero entries of a with their row numbers and reads only those rows of B: at batch 1 that halves
/// the weights a hidden layer streams from cache. The kernels take the order of rows as a type
/// parameter (<see cref="EveryRow"/> or <see cref="ListedRows"/>), so each order compiles to its own loop.
/// </summary>
internal static unsafe class NonzeroRows
{
    /// <summary>Entries of a listed per pass (the lists live on the stack; deeper rows take several passes).</summary>
    public const int MaxPerPass = 1024;

    /// <summary>Depth from which listing pays: a shallower row costs about what the listing does.</summary>
    public const int MinDepth = 64;

    /// <summary>Columns from which listing is used: narrower outputs keep the narrow kernels, one vector per row of B.</summary>
    public const int MinColumns = 16;

    /// <summary>How many of a[0..k) are zero (a vector compare per 8 entries: cheap enough to ask of every dense row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CountZeros(float* a, int k)
    {
        int zeros = 0, q = 0;
        for (; q + Vector256<float>.Count <= k; q += Vector256<float>.Count)
            zeros += BitOperations.PopCount(Vector256.Equals(Vector256.Load(a + q), Vector256<float>.Zero).ExtractMostSignificantBits());
        for (; q < k; q++) zeros += Unsafe.BitCast<bool, byte>(a[q] == 0f);
        return zeros;
    }

    /// <summary>Entries values and rows need past k: <see cref="List"/> stores whole vectors.</summary>
    public const int Slack = 16;

    /// <summary>
    /// Writes the nonzero a[q] to values and their q to rows, in order; returns how many. values and rows hold
    /// k + <see cref="Slack"/> entries. With AVX-512, 16 entries at a time by compressing the nonzero lanes
    /// (40 ns for 300 entries on Zen 5 against 440 ns one by one, whose stores wait on the count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int List(float* a, int k, float* values, int* rows)
    {
        int count = 0, q = 0;
        if (Avx512F.IsSupported)
        {
            for (; q + Vector512<float>.Count <= k; q += Vector512<float>.Count)
            {
                var x = Vector512.Load(a + q);
                var nonzero = ~Vector512.Equals(x, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, nonzero, x).Store(values + count);
                Avx512F.Compress(Vector512<int>.Zero, nonzero.AsInt32(), Vector512<int>.Indices + Vector512.Create(q)).Store(rows + count);
                count += BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
            }
        }
        for (; q < k; q++)
        {
            // Written always, kept by advancing: no branch, because the zeros of a ReLU fall at random.
            float x = a[q];
            values[count] = x;
            rows[count] = q;
            count += Unsafe.BitCast<bool, byte>(x != 0f);
        }
        return count;
    }

    /// <summary>Which row of B the i-th entry of a multiplies.</summary>
    internal interface IRowOrder { static abstract nint Row(int* rows, int i); }

    /// <summary>Entry i multiplies row i (a dense a).</summary>
    internal readonly struct EveryRow : IRowOrder { public static nint Row(int* rows, int i) => i; }

    /// <summary>Entry i multiplies row rows[i] (the nonzero entries of a, listed).</summary>
    internal readonly struct ListedRows : IRowOrder { public static nint Row(int* rows, int i) => rows[i]; }
}
