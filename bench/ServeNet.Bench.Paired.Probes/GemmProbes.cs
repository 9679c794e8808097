using System.Diagnostics;
using ServeNet.Core.Kernels;

namespace ServeNet.Bench.Paired.Probes;

/// <summary>GFLOPS of the current kernel on the shapes of <c>bench gemm</c>'s table that serving and training run.</summary>
internal static class GemmProbes
{
    private sealed record Shape(string Name, int M, int N, int K, bool TransposeA, bool TransposeB, int Threads);

    private static readonly Shape[] Shapes =
    [
        new("1024^3, 1 thread", 1024, 1024, 1024, false, false, 1), new("1024^3, 2 threads", 1024, 1024, 1024, false, false, 2),
        new("1x100x300", 1, 300, 100, false, false, 1), new("1x300x300", 1, 300, 300, false, false, 1),
        new("16x300x9 (the tagger's output layer, a sentence)", 16, 9, 300, false, false, 1),
        new("2x100x1500 (a sentence's rare words through a tagger's window weights)", 2, 1500, 100, false, false, 1),
        new("4x100x1500", 4, 1500, 100, false, false, 1),
        new("3x900x300 (a sentence's mentions through a tagger's mention weights)", 3, 300, 900, false, false, 1),
        new("64x300x2 (the DAN's output layer, a batch)", 64, 2, 300, false, false, 1),
        new("32x100x300", 32, 300, 100, false, false, 1), new("32x300x300", 32, 300, 300, false, false, 1), new("64x300x300", 64, 300, 300, false, false, 1),
        new("64x300x300, 2 threads", 64, 300, 300, false, false, 2),
        new("256x100x300", 256, 100, 300, false, false, 1), new("256x100x300, 2 threads", 256, 100, 300, false, false, 2),
        new("256x300x300, 2 threads", 256, 300, 300, false, false, 2),
        new("dX 256x300x300 (A·Bᵀ)", 256, 300, 300, false, true, 1), new("dX 256x300x300 (A·Bᵀ), 2 threads", 256, 300, 300, false, true, 2),
        new("dW 300x300x256 (Aᵀ·B), 2 threads", 300, 300, 256, true, false, 2),
    ];

    public static Func<(string, double)[]> Create()
    {
        var random = new Random(3);
        var a = CacheLineAligned(1024 * 1024);
        var b = CacheLineAligned(1024 * 1024);
        var c = CacheLineAligned(1024 * 1024);
        for (int i = 0; i < a.Length; i++) (a.Span[i], b.Span[i]) = (random.NextSingle() - 0.5f, random.NextSingle() - 0.5f);
        return () => Shapes.Select(s =>
        {
            var times = new List<double>();
            var round = Stopwatch.StartNew();
            while (round.Elapsed.TotalMilliseconds < 120)
            {
                long start = Stopwatch.GetTimestamp();
                KernelSet.Current.Multiply(a.Span, s.TransposeA, b.Span, s.TransposeB, c.Span, s.M, s.N, s.K, maxThreads: s.Threads);
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            times.Sort();
            return ($"{s.Name}, GFLOPS", 2.0 * s.M * s.N * s.K / times[times.Count / 2] / 1e9);
        }).Concat(new[] { 16, 1024 }.Select(rows => ($"ReLU over {rows}x300 (the tagger's first layer: a sentence, a batch), ns", Relu(a, rows * 300))))
        .ToArray();
    }

    // A managed array starts anywhere in a cache line (8-byte aligned), and the two sides' matrices landed at different
    // offsets (24, 16, 8 against 0, 56, 48 bytes), which a product reading B in place feels: an unchanged 32×100×300 read
    // 1.42× on one side (docs/benchmarks.md §1k). Pinned and sliced to a 64-byte boundary, both sides read the same layout.
    private static Memory<float> CacheLineAligned(int length)
    {
        var array = GC.AllocateArray<float>(length + 16, pinned: true);
        long address = (long)System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        return array.AsMemory((int)((64 - address % 64) % 64 / sizeof(float)), length);
    }

    // Median time of one ActivationFunctions.Apply(ReLU) over the first n values of x (signed at first; its cost does not
    // depend on the values), calls timed in runs of at least ~100k values so that the clock's resolution does not count.
    private static double Relu(Memory<float> x, int n)
    {
        var values = x.Span[..n].ToArray();
        int calls = Math.Max(1, 100_000 / n);
        var times = new List<double>();
        var round = Stopwatch.StartNew();
        while (round.Elapsed.TotalMilliseconds < 120)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) ActivationFunctions.Apply(Activation.Relu, values);
            times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
