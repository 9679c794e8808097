using System.Globalization;
using System.Runtime.Intrinsics;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Bench;

/// <summary>
/// The row kernel's strategies side by side with OpenBLAS on one row times a matrix (batch-1
/// inference and narrow outputs), one thread, interleaved rounds: which strategy each shape should
/// take on this CPU, and what the dispatch (<see cref="KernelSet.Current"/> with m = 1) gives.
/// </summary>
internal static unsafe class RowKernelBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        if (!OpenBlas.IsAvailable) throw new InvalidOperationException(OpenBlas.LoadError);
        OpenBlas.SetThreads(1);
        Console.WriteLine($"# rows: 1×k times k×n, one thread, GFLOPS = 2·k·n / median time; {ServeNet.Training.Reporting.MachineDescription.Current()}");
        Console.WriteLine($"{"k×n",-9} {"openblas",9} {"columns",9} {"sweep",9} {"narrow",9} {"dispatch",9} {"vs blas",8} {"vs cols",8}");
        var results = new Dictionary<string, double>();
        var shapes = quick ? new[] { (100, 300), (300, 300), (300, 9), (300, 2) }
            : new[] { (100, 300), (300, 300), (500, 300), (750, 300), (100, 100), (64, 64), (300, 9), (300, 2) };
        var ratios = new List<double>();
        foreach (var (k, n) in shapes)
        {
            var random = new SeededRandom(3);
            var a = new float[k];
            var b = new float[k * n];
            var c = new float[n];
            random.FillUniform(a, -1, 1);
            random.FillUniform(b, -1, 1);
            var contenders = new List<(string Name, Action Run)>
            {
                ("openblas", () => OpenBlas.Sgemm(a, false, b, false, c, 1, n, k)),
                ("columns", () => { fixed (float* pa = a, pb = b, pc = c) Avx2RowKernel.ColumnBlocks(pa, k, pb, n, pc, n, false); }),
            };
            bool sweep = Vector256.IsHardwareAccelerated, narrow = Vector512.IsHardwareAccelerated && n <= 16;
            if (sweep) contenders.Add(("sweep", () => { fixed (float* pa = a, pb = b, pc = c) Avx512RowKernel.RowSweep(pa, k, pb, n, pc, n, false); }));
            if (narrow) contenders.Add(("narrow", () => { fixed (float* pa = a, pb = b, pc = c) NarrowRows.Run512(pa, k, pb, n, pc, false); }));
            contenders.Add(("dispatch", () => KernelSet.Current.Multiply(a, false, b, false, c, 1, n, k, maxThreads: 1)));
            var seconds = Measure.Interleaved(contenders.Select(x => x.Run).ToArray(), quick ? 7 : 15, minSecondsPerSample: 0.02);
            double Gflops(string name) => contenders.FindIndex(x => x.Name == name) is int i and >= 0 ? 2.0 * k * n / seconds[i] / 1e9 : double.NaN;
            double vsBlas = Gflops("dispatch") / Gflops("openblas"), vsColumns = Gflops("dispatch") / Gflops("columns");
            ratios.Add(vsBlas);
            results[$"rows-{k}x{n}-vs-openblas"] = vsBlas;
            results[$"rows-{k}x{n}-vs-columns"] = vsColumns;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{k}×{n}",-9} {Gflops("openblas"),9:F1} {Gflops("columns"),9:F1} {Gflops("sweep"),9:F1} {Gflops("narrow"),9:F1} {Gflops("dispatch"),9:F1} {vsBlas,8:F2} {vsColumns,8:F2}"));
        }
        results["rows-vs-openblas-geomean"] = Math.Exp(ratios.Average(Math.Log));
        return results;
    }
}
