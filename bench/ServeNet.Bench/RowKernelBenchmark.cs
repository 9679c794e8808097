using System.Globalization;
using System.Runtime.Intrinsics;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Bench;

/// <summary>
/// The row kernel's strategies side by side with OpenBLAS on one row times a matrix (batch-1
/// inference and narrow outputs), one thread, interleaved rounds: which strategy each shape should
/// take on this CPU, and what the dispatch (<see cref="KernelSet.Current"/> with m = 1) gives; then
/// two to seven rows, grouped (FewRows) against row by row.
/// </summary>
internal static unsafe class RowKernelBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        if (!OpenBlas.IsAvailable) throw new InvalidOperationException(OpenBlas.LoadError);
        OpenBlas.SetThreads(1);
        Console.WriteLine($"# rows: 1×k times k×n, one thread, GFLOPS = 2·k·n / median time; {Machine.Describe()}; OpenBLAS kernels: {OpenBlas.CoreName}");
        Console.WriteLine($"{"k×n",-9} {"openblas",9} {"columns",9} {"wide",9} {"narrow",9} {"dispatch",9} {"vs blas",8} {"vs cols",8}");
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
            bool wide = Vector512.IsHardwareAccelerated, narrow = Vector512.IsHardwareAccelerated && n <= 16;
            if (wide) contenders.Add(("wide", () => { fixed (float* pa = a, pb = b, pc = c) WideRows.Run<NonzeroRows.EveryRow>(pa, null, k, pb, n, pc, n, false); }));
            if (narrow) contenders.Add(("narrow", () => { fixed (float* pa = a, pb = b, pc = c) NarrowRows.Run512(pa, k, pb, n, pc, false); }));
            contenders.Add(("dispatch", () => KernelSet.Current.Multiply(a, false, b, false, c, 1, n, k, maxThreads: 1)));
            var seconds = Measure.Interleaved(contenders.Select(x => x.Run).ToArray(), quick ? 7 : 15, minSecondsPerSample: 0.02);
            double Gflops(string name) => contenders.FindIndex(x => x.Name == name) is int i and >= 0 ? 2.0 * k * n / seconds[i] / 1e9 : double.NaN;
            double vsBlas = Gflops("dispatch") / Gflops("openblas"), vsColumns = Gflops("dispatch") / Gflops("columns");
            ratios.Add(vsBlas);
            results[$"rows-{k}x{n}-vs-openblas"] = vsBlas;
            results[$"rows-{k}x{n}-vs-columns"] = vsColumns;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{k}×{n}",-9} {Gflops("openblas"),9:F1} {Gflops("columns"),9:F1} {Gflops("wide"),9:F1} {Gflops("narrow"),9:F1} {Gflops("dispatch"),9:F1} {vsBlas,8:F2} {vsColumns,8:F2}"));
        }
        results["rows-vs-openblas-geomean"] = Math.Exp(ratios.Average(Math.Log));
        ReluRowsSection(quick, results);
        DotRowsSection(quick, results);
        FewRowsSection(quick, results);
        return results;
    }

    // One row that a ReLU made (about half zeros, at random places): the dispatch reads only the rows of B the
    // nonzero entries multiply (NonzeroRows); "all rows" is the same CPU's row kernel over every row of B.
    private static void ReluRowsSection(bool quick, Dictionary<string, double> results)
    {
        Console.WriteLine("# a ReLU's output: 1×k (half zeros) times k×n, one thread");
        Console.WriteLine($"{"k×n",-9} {"zeros",6} {"openblas",9} {"all rows",9} {"dispatch",9} {"vs blas",8} {"vs all",8}");
        var shapes = quick ? new[] { (300, 300) } : new[] { (200, 300), (300, 300), (500, 300), (1500, 300) };
        foreach (var (k, n) in shapes)
        {
            var random = new SeededRandom(11);
            var a = new float[k];
            var b = new float[k * n];
            var c = new float[n];
            random.FillUniform(a, -1, 1);
            for (int q = 0; q < k; q++) a[q] = Math.Max(a[q], 0f);
            random.FillUniform(b, -1, 1);
            double zeros = a.Count(x => x == 0f) / (double)k;
            var contenders = new (string Name, Action Run)[]
            {
                ("openblas", () => OpenBlas.Sgemm(a, false, b, false, c, 1, n, k)),
                ("all rows", () =>
                {
                    fixed (float* pa = a, pb = b, pc = c)
                        if (Vector512.IsHardwareAccelerated) Avx512RowKernel.Run(pa, k, pb, n, pc, n, false);
                        else Avx2RowKernel.Run(pa, k, pb, n, pc, n, false);
                }),
                ("dispatch", () => KernelSet.Current.Multiply(a, false, b, false, c, 1, n, k, maxThreads: 1)),
            };
            var seconds = Measure.Interleaved(contenders.Select(x => x.Run).ToArray(), quick ? 7 : 15, minSecondsPerSample: 0.02);
            double Gflops(int i) => 2.0 * k * n / seconds[i] / 1e9;
            double vsBlas = seconds[0] / seconds[2], vsAll = seconds[1] / seconds[2];
            results[$"rows-relu-{k}x{n}-vs-openblas"] = vsBlas;
            results[$"rows-relu-{k}x{n}-vs-all-rows"] = vsAll;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{k}×{n}",-9} {zeros,6:P0} {Gflops(0),9:F1} {Gflops(1),9:F1} {Gflops(2),9:F1} {vsBlas,8:F2} {vsAll,8:F2}"));
        }
    }

    // A matrix kept row per output times a vector (the DAN's scope maps, y += M·x at inference): a library dot product
    // per row (what training uses) against DotRows, four rows per pass; and OpenBLAS's sgemv-shaped product (1×k·Bᵀ).
    private static void DotRowsSection(bool quick, Dictionary<string, double> results)
    {
        Console.WriteLine("# matrix times vector, the matrix stored row per output (n×k), one thread");
        Console.WriteLine($"{"n×k",-9} {"openblas",9} {"dot/row",9} {"DotRows",9} {"vs blas",8} {"vs dot",8}");
        foreach (var (n, k) in quick ? new[] { (200, 200) } : new[] { (200, 200), (100, 100), (300, 300) })
        {
            var random = new SeededRandom(13);
            var x = new float[k];
            var m = new float[n * k];
            var y = new float[n];
            random.FillUniform(x, -1, 1);
            random.FillUniform(m, -1, 1);
            var contenders = new Action[]
            {
                () => OpenBlas.Sgemm(x, false, m, true, y, 1, n, k),
                () => { for (int o = 0; o < n; o++) y[o] += System.Numerics.Tensors.TensorPrimitives.Dot(m.AsSpan(o * k, k), x); },
                () => { fixed (float* px = x, pm = m, py = y) DotRows.AddTo(px, k, pm, k, py, n); },
            };
            var seconds = Measure.Interleaved(contenders, quick ? 7 : 15, minSecondsPerSample: 0.02);
            double Gflops(int i) => 2.0 * n * k / seconds[i] / 1e9;
            results[$"dotrows-{n}x{k}-vs-dot-per-row"] = seconds[1] / seconds[2];
            results[$"dotrows-{n}x{k}-vs-openblas"] = seconds[0] / seconds[2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{n}×{k}",-9} {Gflops(0),9:F1} {Gflops(1),9:F1} {Gflops(2),9:F1} {seconds[0] / seconds[2],8:F2} {seconds[1] / seconds[2],8:F2}"));
        }
    }

    // Two to seven rows (small batches; the tagger's rare words through its [100, 1500] weight block): row by
    // row reads B once per row, FewRows once per group of up to four. Four copies of B are used in turn, so
    // B comes from L3 as in the tagger, whose ensemble's weight blocks do not fit in L2 together.
    private static void FewRowsSection(bool quick, Dictionary<string, double> results)
    {
        Console.WriteLine("# few rows: m×k times k×n, one thread, B from L3 (four copies in turn)");
        Console.WriteLine($"{"m×k×n",-12} {"openblas",9} {"by row",9} {"dispatch",9} {"vs blas",8} {"vs row",8} {"256-bit",9}");
        var shapes = quick ? new[] { (2, 100, 1500), (4, 100, 1500) } : new[] { (2, 100, 1500), (3, 100, 1500), (4, 100, 1500), (7, 100, 1500), (4, 300, 300), (6, 300, 300) };
        var speedups = new List<double>();
        foreach (var (m, k, n) in shapes)
        {
            var random = new SeededRandom(5);
            var a = new float[m * k];
            var bs = Enumerable.Range(0, 4).Select(_ => new float[k * n]).ToArray();
            var c = new float[m * n];
            random.FillUniform(a, -1, 1);
            foreach (var b in bs) random.FillUniform(b, -1, 1);
            int turn = 0;
            float[] NextB() => bs[turn++ & 3];
            var contenders = new (string Name, Action Run)[]
            {
                ("openblas", () => OpenBlas.Sgemm(a, false, NextB(), false, c, m, n, k)),
                ("by row", () => { var b = NextB(); for (int i = 0; i < m; i++) KernelSet.Current.Multiply(a.AsSpan(i * k, k), false, b, false, c.AsSpan(i * n, n), 1, n, k, maxThreads: 1); }),
                ("dispatch", () => KernelSet.Current.Multiply(a, false, NextB(), false, c, m, n, k, maxThreads: 1)),
                ("256-bit", () => { FewRows.PreferVector512 = false; KernelSet.Current.Multiply(a, false, NextB(), false, c, m, n, k, maxThreads: 1); FewRows.PreferVector512 = true; }),
            };
            var seconds = Measure.Interleaved(contenders.Select(x => x.Run).ToArray(), quick ? 7 : 15, minSecondsPerSample: 0.02);
            double Gflops(int i) => 2.0 * m * k * n / seconds[i] / 1e9;
            double vsBlas = Gflops(2) / Gflops(0), vsRow = Gflops(2) / Gflops(1);
            speedups.Add(vsRow);
            results[$"few-rows-{m}x{k}x{n}-vs-openblas"] = vsBlas;
            results[$"few-rows-{m}x{k}x{n}-vs-by-row"] = vsRow;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{m}×{k}×{n}",-12} {Gflops(0),9:F1} {Gflops(1),9:F1} {Gflops(2),9:F1} {vsBlas,8:F2} {vsRow,8:F2} {Gflops(3),9:F1}"));
        }
        results["few-rows-vs-by-row-geomean"] = Math.Exp(speedups.Average(Math.Log));
    }
}
