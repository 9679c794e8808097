namespace ServeNet.Core.Kernels;

/// <summary>
/// c[0..n) (+)= Σ_q a[q]·B[q, 0..n) for one row a [k] and a row-major B [k, ldb]: the product of
/// batch-1 inference and of narrow outputs, where a register tile would be mostly padding. One
/// implementation per instruction set, chosen with the micro-kernel (<see cref="KernelSet"/>).
/// </summary>
internal unsafe interface IRowKernel
{
    static abstract void Run(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate);

    /// <summary>
    /// Rows [0, done) of C (+)= A·B for an output narrow enough for the row kernel's one-vector-per-row-of-B path, several
    /// rows at once, each summed as <see cref="Run"/> sums it alone; returns done (0 where the kernel has no such path).
    /// </summary>
    static abstract int RunNarrowRows(float* a, nint lda, int m, int k, float* b, nint ldb, float* c, nint ldc, int n, bool accumulate);

    /// <summary>Zeros in a row of depth k from which <see cref="RunListed"/> on the nonzero entries beats <see cref="Run"/> on all.</summary>
    static abstract int ListFromZeros(int k);

    /// <summary>c[0..n) (+)= Σ_i values[i]·B[rows[i], 0..n): the nonzero entries of a row, listed by <see cref="NonzeroRows"/>.</summary>
    static abstract void RunListed(float* values, int* rows, int count, float* b, nint ldb, float* c, int n, bool accumulate);
}
