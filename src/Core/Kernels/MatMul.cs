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

    /// <summary>C[m,n] (+)= Aᵀ·B[k,n] where A is stored [k,m].</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool accumulate = false) =>
        KernelSet.Current.Multiply(a, true, b, false, c, m, n, k, accumulate);
}
