using ServeNet.Bench;

// Benchmarks print a table and then machine-readable "name: value" lines; see docs/benchmarks.md.
var command = args.FirstOrDefault();
bool quick = args.Contains("--quick");
string? kernel = args.SkipWhile(a => a != "--kernel").Skip(1).FirstOrDefault();
return command switch
{
    "gemm" => GemmBenchmark.Run(quick, kernel),
    "tune" => TuneBenchmark.Run(1024, 1024, 1024),
    "infer" => PrintResults(InferenceBenchmark.Run(quick)),
    "profile" => ProfileBenchmark.Run(),
    "train" => PrintResults(TrainingBenchmark.Run(quick)),
    "http" => PrintResults(HttpBenchmark.Run(quick)),
    "scaling" => PrintResults(ScalingBenchmark.Run(quick)),
    _ => Usage(),
};

static int PrintResults(Dictionary<string, double> results)
{
    foreach (var (name, value) in results)
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: {(Math.Abs(value) >= 100 ? value.ToString("F0") : value.ToString("F2"))}"));
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ServeNet.Bench -- gemm|infer|train|http|scaling|tune|profile [--quick] [--kernel avx512|avx2|portable]");
    return 1;
}
