using System.Globalization;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Bench;

/// <summary>
/// Our matrix multiply against OpenBLAS on the same matrices in the same run, 1 and 2 threads:
/// the big square products that show the distance to the machine's peak, and the small shapes the
/// models actually run (batch × input × hidden), where call overhead dominates.
/// </summary>
internal static class GemmBenchmark
{
    private sealed record Shape(string Label, int M, int N, int K, bool TransposeA = false, bool TransposeB = false);

    /// <summary>
    /// How long OpenBLAS's worker threads spin after its last call before they sleep: 2^28 time-stamp ticks by default
    /// (its THREAD_TIMEOUT; 0.11 s at this machine's 2.45 GHz). A two-thread sample of ours that started within that time
    /// shared the two cores with a spinning OpenBLAS thread: 1024³ on two threads ran at 62–119 GFLOPS against 125 with
    /// OPENBLAS_THREAD_TIMEOUT=4 (Zen 3, docs/benchmarks.md §1k). So every two-thread sample waits this long first.
    /// </summary>
    private const double OpenBlasSpinSeconds = 0.2;

    public static int Run(bool quick, string? kernelName)
    {
        var kernel = kernelName is null ? KernelSet.Current : KernelSet.Choose(kernelName);
        Console.WriteLine($"# gemm: ours ({kernel.Name}) vs OpenBLAS, row-major float32, GFLOPS = 2·m·n·k / median time; " +
                          $"each two-thread sample starts {OpenBlasSpinSeconds} s after the last (OpenBLAS's idle threads spin ~0.1 s)");
        Console.WriteLine($"# {Machine.Describe()}; OpenBLAS kernels: {OpenBlas.CoreName}; quick: {quick}");
        if (!OpenBlas.IsAvailable)
        {
            Console.Error.WriteLine(OpenBlas.LoadError);
            return 2;
        }

        var shapes = new List<Shape> { new("1024^3", 1024, 1024, 1024) };
        if (!quick) shapes.Add(new("2048^3", 2048, 2048, 2048));
        foreach (int batch in new[] { 1, 32, 256 })
            foreach (int input in quick ? new[] { 100, 300 } : new[] { 100, 300, 500 })
                shapes.Add(new($"{batch}x{input}x300", batch, 300, input));
        // The two backward products of a 300→300 dense layer at batch 256.
        shapes.Add(new("dX 256x300x300 (A·Bᵀ)", 256, 300, 300, TransposeB: true));
        shapes.Add(new("dW 300x300x256 (Aᵀ·B)", 300, 300, 256, TransposeA: true));

        int rounds = quick ? 5 : 11;
        Console.WriteLine($"{"shape",-24} {"threads",7} {"ours",9} {"openblas",9} {"ratio",7}");
        var ratios = new Dictionary<string, double>();
        foreach (var shape in shapes)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var random = new SeededRandom(7);
                var a = new float[shape.M * shape.K];
                var b = new float[shape.K * shape.N];
                var ours = new float[shape.M * shape.N];
                var theirs = new float[shape.M * shape.N];
                random.FillUniform(a, -1, 1);
                random.FillUniform(b, -1, 1);

                OpenBlas.SetThreads(threads);
                var seconds = Measure.Interleaved(
                [
                    () => kernel.Multiply(a, shape.TransposeA, b, shape.TransposeB, ours, shape.M, shape.N, shape.K, maxThreads: threads),
                    () => OpenBlas.Sgemm(a, shape.TransposeA, b, shape.TransposeB, theirs, shape.M, shape.N, shape.K),
                ], rounds, minSecondsPerSample: quick ? 0.05 : 0.1, settleSeconds: threads > 1 ? OpenBlasSpinSeconds : 0);
                CheckSame(ours, theirs, shape.K);

                double flops = 2.0 * shape.M * shape.N * shape.K;
                double oursGflops = flops / seconds[0] / 1e9, theirsGflops = flops / seconds[1] / 1e9;
                double ratio = oursGflops / theirsGflops;
                ratios[$"{shape.Label}/{threads}t"] = ratio;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{shape.Label,-24} {threads,7} {oursGflops,9:F1} {theirsGflops,9:F1} {ratio,7:F2}"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gemm-ratio-1t-1024: {ratios["1024^3/1t"]:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gemm-ratio-2t-1024: {ratios["1024^3/2t"]:F2}"));
        var small = ratios.Where(r => r.Key.Contains('x') && !r.Key.StartsWith('d')).Select(r => r.Value).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gemm-ratio-model-shapes-geomean: {Math.Exp(small.Average(Math.Log)):F2}"));
        return 0;
    }

    // A benchmark of wrong answers is worthless: both sides must agree.
    private static void CheckSame(float[] ours, float[] theirs, int k)
    {
        for (int i = 0; i < ours.Length; i++)
            if (Math.Abs(ours[i] - theirs[i]) > 1e-4f * k)
                throw new InvalidOperationException($"Result mismatch at {i}: ours {ours[i]}, OpenBLAS {theirs[i]}.");
    }
}
