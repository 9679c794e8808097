namespace ServeNet.Core.Kernels;

/// <summary>
/// One implementation of the matrix product C[m,n] (+)= op(A)[m,k]·op(B)[k,n] (+ bias[n], activation),
/// all row-major. op(A) = A stored [m,k], or Aᵀ with A stored [k,m]; op(B) = B stored [k,n], or Bᵀ
/// with B stored [n,k]. <see cref="KernelSet"/> picks the fastest supported one at start-up.
/// </summary>
public abstract class GemmKernel
{
    /// <summary>Short name used in logs, benchmarks and the SERVENET_GEMM_KERNEL variable.</summary>
    public abstract string Name { get; }

    /// <summary>Whether this machine runs the kernel natively (otherwise it must not be picked).</summary>
    public abstract bool IsSupported { get; }

    /// <summary>
    /// C[m,n] = op(A)·op(B) (or C += op(A)·op(B) when <paramref name="accumulate"/>), then
    /// C[i,:] += bias and C ← activation(C) if given. <paramref name="maxThreads"/> 0 means <see cref="KernelSet.MaxThreads"/>;
    /// small products always run on the calling thread.
    /// </summary>
    public unsafe void Multiply(
        ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c,
        int m, int n, int k, bool accumulate = false,
        ReadOnlySpan<float> bias = default, Activation activation = Activation.None, int maxThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length < (long)m * k) ThrowTooShort("a", a.Length, transposeA ? $"[k={k}, m={m}]" : $"[m={m}, k={k}]", (long)m * k);
        if (b.Length < (long)k * n) ThrowTooShort("b", b.Length, transposeB ? $"[n={n}, k={k}]" : $"[k={k}, n={n}]", (long)k * n);
        if (c.Length < (long)m * n) ThrowTooShort("c", c.Length, $"[m={m}, n={n}]", (long)m * n);
        if (!bias.IsEmpty && bias.Length < n) ThrowTooShort("bias", bias.Length, $"[n={n}]", n);
        if (accumulate && (!bias.IsEmpty || activation != Activation.None))
            throw new ArgumentException("A bias or activation cannot be fused into an accumulating product (C += A·B).");
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var problem = new GemmProblem(
                pa, transposeA ? m : k, transposeA, pb, transposeB ? k : n, transposeB,
                pc, n, m, n, k, accumulate, bias.IsEmpty ? null : pbias, activation);
            if (k == 0)
            {
                problem.WriteEmptyProduct();
                return;
            }
            Run(problem, maxThreads <= 0 ? KernelSet.MaxThreads : maxThreads);
        }
    }

    internal abstract void Run(in GemmProblem problem, int maxThreads);

    /// <summary>
    /// c[0..n) (+)= Σ_i table[rows[i], 0..n) (row stride <paramref name="ldt"/>): the rows an embedding bag adds, each
    /// column summed from c (or zero) in the order of <paramref name="rows"/>. Row kernels sum a[q]·B[q] in that order with
    /// fused multiply-adds; with every a[q] = 1 the products are exact, so this equals adding the rows one by one, bit for bit.
    /// </summary>
    internal virtual unsafe void SumRows(float* table, nint ldt, int* rows, int count, float* c, int n, bool accumulate)
    {
        var sum = new Span<float>(c, n);
        if (!accumulate) sum.Clear();
        for (int i = 0; i < count; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(sum, new ReadOnlySpan<float>(table + rows[i] * ldt, n), sum);
    }

    /// <summary>The same kernel with other cache-blocking sizes (for tuning); null if it does not block.</summary>
    internal virtual GemmKernel? WithBlocking(GemmBlocking blocking) => null;

    /// <summary>The cache-blocking sizes in use, if the kernel blocks.</summary>
    internal virtual GemmBlocking? Blocking => null;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooShort(string name, int length, string shape, long needed) =>
        throw new ArgumentException($"Matrix '{name}' has {length} elements; shape {shape} needs {needed}.", name);

    public override string ToString() => Name;
}
