using System.Globalization;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Bench;

/// <summary>
/// Grid search over the cache-blocking sizes of the current kernel at one shape, single thread,
/// with OpenBLAS in the same rounds: how KernelSet's defaults were chosen.
/// </summary>
internal static class TuneBenchmark
{
    public static int Run(int m, int n, int k)
    {
        var kernel = KernelSet.Current;
        var defaults = kernel.Blocking ?? throw new InvalidOperationException($"Kernel {kernel.Name} has no blocking to tune.");
        var random = new SeededRandom(7);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);

        int mcStep = defaults.MC / 2;
        var candidates = new List<(string Label, GemmKernel Kernel)>();
        foreach (int kc in new[] { 128, 256, 384, 512, 768 })
            foreach (int mc in new[] { mcStep, 2 * mcStep, 4 * mcStep })
                candidates.Add(($"kc={kc} mc={mc}", kernel.WithBlocking(defaults with { KC = kc, MC = mc })!));
        var actions = candidates.Select(x => (Action)(() => x.Kernel.Multiply(a, false, b, false, c, m, n, k, maxThreads: 1))).ToList();
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetThreads(1);
            actions.Add(() => OpenBlas.Sgemm(a, false, b, false, c, m, n, k));
        }
        var seconds = Measure.Interleaved(actions, 7);
        double flops = 2.0 * m * n * k;
        Console.WriteLine($"# {kernel.Name} {m}x{n}x{k}, 1 thread, defaults {defaults}");
        for (int i = 0; i < actions.Count; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(i < candidates.Count ? candidates[i].Label : "openblas"),-18} {flops / seconds[i] / 1e9,7:F1} GFLOPS"));
        return 0;
    }
}
