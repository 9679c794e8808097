using System.CommandLine;
using System.Globalization;
using ServeNet.Core.Kernels;

namespace ServeNet.Bench;

/// <summary>
/// The benchmark program's command line: one verb per benchmark, as docs/benchmarks.md quotes them
/// ("gemm --quick --kernel avx2", "http --quick", ...). Built here so that what users type can be
/// parsed and invoked apart from Main.
/// </summary>
public static class BenchCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ServeNet benchmarks, each run side by side with its peer in one process; each ends with "
            + "machine-readable \"name: value\" lines (see docs/benchmarks.md).");
        root.Subcommands.Add(Gemm());
        root.Subcommands.Add(Measured("rows", "The row kernel's strategies (batch 1, narrow outputs) against OpenBLAS, one thread", RowKernelBenchmark.Run));
        root.Subcommands.Add(Measured("infer", "Inference in process from raw text with the shipped models, batch 1 and 64, against PyTorch and ML.NET", InferenceBenchmark.Run));
        root.Subcommands.Add(Measured("train", "Training speed and dev score against PyTorch on the same nets and data", TrainingBenchmark.Run));
        root.Subcommands.Add(Http());
        root.Subcommands.Add(Hostile());
        root.Subcommands.Add(Measured("scaling", "Inference time against text length and batch size; writes docs/scaling-length.png and docs/scaling-batch.png", ScalingBenchmark.Run));
        root.Subcommands.Add(Plain("tune", "Grid search over the GEMM cache-blocking sizes at 1024³, single thread, with OpenBLAS in the same rounds", () => TuneBenchmark.Run(1024, 1024, 1024)));
        root.Subcommands.Add(Plain("profile", "Where inference time goes, stage by stage", ProfileBenchmark.Run));
        return root;
    }

    private static Option<bool> Quick() => new("--quick") { Description = "A shorter run: fewer sizes, rounds or epochs" };

    private static Command Gemm()
    {
        var quick = Quick();
        var kernel = new Option<string?>("--kernel") { Description = "Measure this GEMM kernel (default: the best this CPU supports)" };
        kernel.AcceptOnlyFromAmong([.. KernelSet.All.Select(k => k.Name)]);
        var command = new Command("gemm", "Matrix multiply against OpenBLAS, 1 and 2 threads") { quick, kernel };
        command.SetAction(result => GemmBenchmark.Run(result.GetValue(quick), result.GetValue(kernel)));
        return command;
    }

    private static Command Hostile()
    {
        var quick = Quick();
        var heapLimit = new Option<int>("--heap-limit-mb") { Description = "Run the API under DOTNET_GCHeapHardLimit of this many MiB (0: none)" };
        var soak = new Option<int>("--soak-seconds") { Description = "Length of the closing wrk soak (default 60, 10 with --quick)" };
        var sizing = new Option<bool>("--sizing") { Description = "Instead: the largest requests through servers with several MaxTokensInFlight (how the defaults were sized)" };
        var command = new Command("hostile", "Issue 12's hostile traffic replayed on loopback (status counts, time, peak RSS per row), then a soak at 64 connections")
        {
            quick, heapLimit, soak, sizing,
        };
        command.SetAction(result => ServeNet.Bench.Hostile.HostileBenchmark.Run(result.GetValue(quick), result.GetValue(heapLimit), result.GetValue(soak),
            result.GetValue(sizing)));
        return command;
    }

    // A benchmark that returns its figures: printed as "name: value" lines.
    private static Command Measured(string name, string description, Func<bool, Dictionary<string, double>> run)
    {
        var quick = Quick();
        var command = new Command(name, description) { quick };
        command.SetAction(result => PrintResults(run(result.GetValue(quick))));
        return command;
    }

    private static Command Http()
    {
        var quick = Quick();
        var against = new Option<string?>("--against") { Description = "Compare with the API of this checkout (e.g. a baseline from git worktree or git archive): /classify and /noop in alternating rounds, with ratios" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the comparison (each runs both builds)", DefaultValueFactory = _ => 3 };
        var command = new Command("http", "The published API under wrk on loopback against FastAPI+PyTorch and ML.NET servers: /noop (turned on for the run), /classify, /ner") { quick, against, rounds };
        command.SetAction(result => PrintResults(result.GetValue(against) is { } baseline
            ? HttpComparison.Run(baseline, result.GetValue(quick), result.GetValue(rounds))
            : HttpBenchmark.Run(result.GetValue(quick))));
        return command;
    }

    private static Command Plain(string name, string description, Func<int> run)
    {
        var command = new Command(name, description);
        command.SetAction(_ => run());
        return command;
    }

    private static int PrintResults(Dictionary<string, double> results)
    {
        foreach (var (name, value) in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {(Math.Abs(value) >= 100 ? value.ToString("F0") : value.ToString("F2"))}"));
        return 0;
    }
}
