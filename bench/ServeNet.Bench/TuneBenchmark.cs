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
        Console.WriteLine($"# {Machine.Describe()}");
        Console.WriteLine($"# {kernel.Name} {m}x{n}x{k}, 1 thread, defaults {defaults}");
        for (int i = 0; i < actions.Count; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(i < candidates.Count ? candidates[i].Label : "openblas"),-18} {flops / seconds[i] / 1e9,7:F1} GFLOPS"));
        SmallM(kernel, defaults);
        return 0;
    }

    // SmallM: up to how many rows B is read in place rather than packed, at the hidden layers' 300×300, dense and as a
    // ReLU's output (70% zeros per row) — the served batches' halves and whole batches on one core.
    private static void SmallM(GemmKernel kernel, GemmBlocking defaults)
    {
        const int n = 300, k = 300;
        var random = new SeededRandom(11);
        var b = new float[k * n];
        random.FillUniform(b, -1, 1);
        Console.WriteLine($"# B read in place against packed, {kernel.Name}, rows x {n} x {k}, median of 7 interleaved rounds (defaults: SmallM={defaults.SmallM})");
        foreach (var (m, threads) in new[] { (16, 1), (32, 1), (48, 1), (64, 1), (96, 1), (128, 1), (256, 1), (64, 2), (128, 2), (256, 2) })
        {
            var a = new float[m * k];
            var c = new float[m * n];
            random.FillUniform(a, -1, 1);
            var relu = a.Select(x => random.NextFloat() < 0.7f ? 0f : Math.Abs(x)).ToArray();
            var inPlace = kernel.WithBlocking(defaults with { SmallM = m })!;
            var packed = kernel.WithBlocking(defaults with { SmallM = 0 })!;
            var seconds = Measure.Interleaved(new Action[]
            {
                () => inPlace.Multiply(a, false, b, false, c, m, n, k, maxThreads: threads),
                () => packed.Multiply(a, false, b, false, c, m, n, k, maxThreads: threads),
                () => inPlace.Multiply(relu, false, b, false, c, m, n, k, maxThreads: threads),
                () => packed.Multiply(relu, false, b, false, c, m, n, k, maxThreads: threads),
            }, 7);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rows {m,4}, {threads} thread(s): dense in place {seconds[0] * 1e6,8:F1} us, packed {seconds[1] * 1e6,8:F1} us ({seconds[1] / seconds[0]:F2}x); after a ReLU in place {seconds[2] * 1e6,8:F1} us, packed {seconds[3] * 1e6,8:F1} us ({seconds[3] / seconds[2]:F2}x)"));
        }
    }
}
