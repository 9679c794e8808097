using System.Runtime.InteropServices;

namespace ServeNet.Bench;

/// <summary>
/// OpenBLAS's cblas_sgemm through P/Invoke: the benchmark's yardstick, never used by the product.
/// Debian: <c>apt-get install libopenblas-dev</c> (bench/setup.sh does it).
/// </summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private static readonly string[] Candidates = ["libopenblas.so.0", "libopenblas.so", "openblas", "libopenblas.dylib"];

    private static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;
    private static delegate* unmanaged<int, void> s_setThreads;
    private static delegate* unmanaged<byte*> s_coreName;

    public static string? LoadError { get; } = TryLoad();
    public static bool IsAvailable => LoadError is null;

    private static string? TryLoad()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
            s_sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                s_setThreads = (delegate* unmanaged<int, void>)setThreads;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName))
                s_coreName = (delegate* unmanaged<byte*>)coreName;
            return null;
        }
        return $"OpenBLAS not found (tried {string.Join(", ", Candidates)}): run 'bash bench/setup.sh' " +
               "or 'apt-get install libopenblas-dev'.";
    }

    /// <summary>
    /// The kernel family OpenBLAS chose for this CPU (e.g. "Haswell", "SkylakeX"). Debian's 0.3.21 takes Haswell's
    /// AVX2 kernels on some AVX-512 Zen 4 machines; run with OPENBLAS_CORETYPE=SkylakeX to compare against its AVX-512 ones.
    /// </summary>
    public static string CoreName => s_coreName == null ? "unknown" : Marshal.PtrToStringUTF8((nint)s_coreName()) ?? "unknown";

    public static void SetThreads(int threads)
    {
        if (s_setThreads != null) s_setThreads(threads);
    }

    /// <summary>C[m,n] = op(A)·op(B), row-major, same conventions as our GemmKernel.</summary>
    public static void Sgemm(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k)
    {
        if (LoadError is not null) throw new InvalidOperationException(LoadError);
        fixed (float* pa = a, pb = b, pc = c)
            s_sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k,
                1f, pa, transposeA ? m : k, pb, transposeB ? k : n, 0f, pc, n);
    }
}
