using System.Runtime.CompilerServices;

namespace ServeNet.Core.Kernels;

/// <summary>
/// The row kernel of AVX-512 machines: outputs of at most 16 columns take one Vector512 per row of B
/// (<see cref="NarrowRows"/>); wider ones keep c in zmm registers across all of k (<see cref="WideRows"/>),
/// reading each row of B once whatever the depth, the nonzero rows of a ReLU's output as well as every row.
/// </summary>
internal readonly unsafe struct Avx512RowKernel : IRowKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate)
    {
        if (n <= 16 && ldb == n && k >= 2) NarrowRows.Run512(a, k, b, n, c, accumulate);
        else WideRows.Run<NonzeroRows.EveryRow>(a, null, k, b, ldb, c, n, accumulate);
    }

    /// <summary>Groups of 2–4 rows (as <see cref="FewRows"/> groups them) through <see cref="NarrowRows.Rows512{TRows}"/> where <see cref="Run"/> takes NarrowRows.Run512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int RunNarrowRows(float* a, nint lda, int m, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate) =>
        n > 16 || ldb != n || k < 2 ? 0 : FewRows.Run<NarrowRows.Groups512>(a, lda, m, k, b, ldb, c, ldc, n, accumulate);

    /// <summary>
    /// A third: a listed row costs about 1.4 contiguous ones (measured on Zen 5, 100–300 deep × 300, the
    /// break-even between 30% and 40% zeros), since B's rows no longer come in order.
    /// </summary>
    public static int ListFromZeros(int k) => k / 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunListed(float* values, int* rows, int count, float* b, nint ldb, float* c, int n, bool accumulate) =>
        WideRows.Run<NonzeroRows.ListedRows>(values, rows, count, b, ldb, c, n, accumulate);
}
