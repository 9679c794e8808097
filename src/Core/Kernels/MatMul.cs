namespace ServeNet.Core.Kernels;

/// <summary>
/// The three row-major products forward and backward passes need, on <see cref="KernelSet.Current"/>:
/// y = x·W (forward), dX = dY·Wᵀ (input gradient) and dW += Xᵀ·dY (weight gradient).
/// </summary>
public static class MatMul
{
    /// <summary>C[m,n] (+)= A[m,k]·B[k,n], then + bias[n] and activation if given.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool accumulate = false, ReadOnlySpan<float> bias = default, Activation activation = Activation.None) =>
        KernelSet.Current.Multiply(a, false, b, false, c, m, n, k, accumulate, bias, activation);

    /// <summary>C[m,n] (+)= A[m,k]·Bᵀ where B is stored [n,k].</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool accumulate = false) =>
        KernelSet.Current.Multiply(a, false, b, true, c, m, n, k, accumulate);

    /// <summary>
    /// sum (+)= Σ_i table[rows[i], :] for a table of rows <paramref name="width"/> wide (an embedding bag's words): one
    /// product of a row of ones with the listed rows, the sum kept in registers across them. Bit for bit the same as
    /// adding the rows one by one in order.
    /// </summary>
    public static unsafe void SumRows(ReadOnlySpan<float> table, int width, ReadOnlySpan<int> rows, Span<float> sum, bool accumulate = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (sum.Length != width) throw new ArgumentException($"The sum has {sum.Length} values for rows {width} wide.", nameof(sum));
        int tableRows = table.Length / width;
        foreach (int row in rows)
            if ((uint)row >= (uint)tableRows) throw new ArgumentOutOfRangeException(nameof(rows), row, $"The table has {tableRows} rows.");
        fixed (float* pt = table, ps = sum)
        fixed (int* pr = rows)
            KernelSet.Current.SumRows(pt, width, pr, rows.Length, ps, width, accumulate);
    }

    /// <summary>C[m,n] (+)= Aᵀ·B[k,n] where A is stored [k,m].</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool accumulate = false) =>
        KernelSet.Current.Multiply(a, true, b, false, c, m, n, k, accumulate);
}
