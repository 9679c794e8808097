using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>Software prefetch: asks for memory a loop will read soon, so its cache misses overlap with work.</summary>
public static unsafe class CacheHints
{
    /// <summary>Prefetches every 64-byte line of <paramref name="data"/> into all cache levels (a no-op where unsupported).</summary>
    public static void Prefetch<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        fixed (T* first = data)
        {
            byte* start = (byte*)first;
            for (long offset = 0; offset < (long)data.Length * sizeof(T); offset += 64) Sse.Prefetch0(start + offset);
        }
    }
}
