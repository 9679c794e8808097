namespace ServeNet.Core.Kernels;

/// <summary>
/// A register-tiled inner kernel: the innermost loop of the blocked matrix multiply.
/// Implementations are structs so the generic driver is specialised (and inlined) per kernel.
/// </summary>
internal unsafe interface IMicroKernel
{
    /// <summary>Rows of C per tile (A values broadcast per k).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile (B values loaded as vectors per k).</summary>
    static abstract int NR { get; }

    /// <summary>Rows of <see cref="RunShort"/>'s tile: fewer than MR, with enough accumulators left to hide the FMA latency.</summary>
    static abstract int ShortMR { get; }

    static abstract bool IsSupported { get; }

    /// <summary>
    /// c[i, j] (+)= Σ_p a[p·MR + i] · b[p·bStride + j] for i &lt; MR, j &lt; NR.
    /// a: packed A micro-panel [kc, MR]; b: packed panel (bStride = NR) or rows of B itself.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool accumulate);

    /// <summary>As <see cref="Run"/> for the first NR/2 columns only (a tail panel at most half full).</summary>
    static abstract void RunHalf(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool accumulate);

    /// <summary>
    /// As <see cref="Run"/> for the first <see cref="ShortMR"/> rows only (a last row tile at most that full: 32 rows are five
    /// 6-row tiles and 2 rows, which the full tile computed as 6). Each element is summed as Run sums it.
    /// </summary>
    static abstract void RunShort(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool accumulate);
}
