namespace ServeNet.Core.Kernels;

/// <summary>
/// The matrix-multiply kernels this build has, and the one in use: the fastest this CPU supports,
/// unless the environment variable <c>SERVENET_GEMM_KERNEL</c> names another
/// (<c>avx512</c>, <c>avx2</c>, <c>portable</c> or <c>reference</c>).
/// </summary>
public static class KernelSet
{
    public const string EnvironmentVariable = "SERVENET_GEMM_KERNEL";

    public static GemmKernel Reference { get; } = new ReferenceGemmKernel();

    public static GemmKernel Avx512 { get; } = new BlockedGemmKernel<Avx512MicroKernel, Avx512RowKernel>("avx512",
        new GemmBlocking(KC: 512, MC: 96, NC: 3072, SmallM: 128, ParallelFlops: 8_000_000));

    public static GemmKernel Avx2 { get; } = new BlockedGemmKernel<Avx2MicroKernel, Avx2RowKernel>("avx2",
        new GemmBlocking(KC: 512, MC: 96, NC: 3072, SmallM: 32, ParallelFlops: 8_000_000));

    public static GemmKernel Portable { get; } = new BlockedGemmKernel<PortableMicroKernel, Avx2RowKernel>("portable",
        new GemmBlocking(KC: 256, MC: 64, NC: 2048, SmallM: 16, ParallelFlops: 8_000_000));

    /// <summary>Every kernel, fastest first; tests run each supported one against <see cref="Reference"/>.</summary>
    public static IReadOnlyList<GemmKernel> All { get; } = [Avx512, Avx2, Portable, Reference];

    public const string ThreadsVariable = "SERVENET_GEMM_THREADS";

    /// <summary>
    /// Most threads one product may use: all cores unless SERVENET_GEMM_THREADS says otherwise. A server
    /// runs many requests at once and is best served by 1 (each request on its own core).
    /// </summary>
    public static int MaxThreads { get; set; } = int.TryParse(Environment.GetEnvironmentVariable(ThreadsVariable), out int t) && t > 0
        ? t : Environment.ProcessorCount;

    /// <summary>The kernel every layer and every fast path uses.</summary>
    public static GemmKernel Current { get; private set; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Makes <paramref name="kernel"/> current until the scope is disposed (tests and benchmarks).</summary>
    internal static IDisposable Use(GemmKernel kernel)
    {
        var previous = Current;
        Current = kernel;
        return new Restore(previous);
    }

    private sealed class Restore(GemmKernel previous) : IDisposable
    {
        public void Dispose() => Current = previous;
    }

    internal static GemmKernel Choose(string? forced)
    {
        if (string.IsNullOrWhiteSpace(forced)) return All.First(k => k.IsSupported);
        var kernel = All.FirstOrDefault(k => string.Equals(k.Name, forced.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"{EnvironmentVariable}='{forced}' names no kernel; expected one of: {string.Join(", ", All.Select(k => k.Name))}.");
        if (!kernel.IsSupported)
            throw new InvalidOperationException($"{EnvironmentVariable}='{forced}': this CPU does not support the {kernel.Name} kernel.");
        return kernel;
    }
}
