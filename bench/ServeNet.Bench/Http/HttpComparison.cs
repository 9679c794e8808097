using System.Globalization;

namespace ServeNet.Bench;

/// <summary>
/// "http --against DIR": the API of another checkout (a baseline, e.g. main before a change) and this one's, each
/// published in Release and served with the same models and default settings (the no-op endpoint aside), loaded in
/// turn with the same wrk runs on /classify (and /noop) in ABBA order, round after round, so that drift on a shared
/// machine falls on both alike. Prints each run and the median ratio this/baseline of req/s and of p99 latency, and
/// the server's CPU time per request (user + system time of its process over the run ÷ requests served): wrk and
/// other jobs on the machine take CPU from the server and move its req/s, much less what a request costs it.
/// Both serve the checkpoints of BenchData.ModelsDirectory (SERVENET_MODELS): point it at the baseline's own models
/// when the baseline build cannot read today's checkpoints.
/// </summary>
internal static class HttpComparison
{
    private const string Url = "http://127.0.0.1:5099";

    public static Dictionary<string, double> Run(string against, bool quick, int rounds)
    {
        string baselineProject = Path.Combine(against, "src", "Api");
        if (!File.Exists(Path.Combine(baselineProject, "Api.csproj"))) throw new ArgumentException($"No src/Api/Api.csproj in {against}.");
        int seconds = quick ? 5 : 30, warmup = quick ? 2 : 10, connections = 64;
        var builds = new (string Name, string Publish)[] { ("baseline", Publish(baselineProject, "baseline")), ("this", Publish("src/Api", "this")) };
        string[] endpoints = ["classify", "noop"];
        var runs = new Dictionary<(string Build, string Endpoint), List<(double Rps, double P99, double CpuMicros)>>();
        string models = Path.GetFullPath(BenchData.ModelsDirectory);
        Console.WriteLine($"# {builds[0].Name} = {Path.GetFullPath(against)}, this = {Path.GetFullPath(".")}; wrk {seconds}s at {connections} connections after {warmup}s warm-up, {rounds} rounds in ABBA order, {Environment.ProcessorCount} cores shared by server and wrk");
        Console.WriteLine($"{"round",5} {"build",-9} {"endpoint",-9} {"req/s",9} {"p99 ms",7} {"server CPU µs/req",18}");
        for (int round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? builds : [builds[1], builds[0]];
            foreach (var (name, publish) in order)
            {
                using var server = HttpBenchmark.StartServeNet(publish, Url, models, microBatching: false, cpus: null);
                server.WaitReady(TimeSpan.FromSeconds(180));
                foreach (string endpoint in endpoints)
                {
                    Wrk.Run(name, $"{Url}/{endpoint}", endpoint, connections, warmup);
                    var cpuBefore = server.CpuTime;
                    var (rps, _, p99, requests) = Wrk.Run(name, $"{Url}/{endpoint}", endpoint, connections, seconds);
                    double cpuMicros = (server.CpuTime - cpuBefore).TotalMicroseconds / requests;
                    (runs.TryGetValue((name, endpoint), out var list) ? list : runs[(name, endpoint)] = []).Add((rps, p99, cpuMicros));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round + 1,5} {name,-9} {endpoint,-9} {rps,9:F0} {p99,7:F2} {cpuMicros,18:F1}"));
                }
            }
        }

        var results = new Dictionary<string, double>();
        foreach (string endpoint in endpoints)
        {
            foreach (var (name, _) in builds)
            {
                results[$"http-{endpoint}-{name}-rps-median"] = Median(runs[(name, endpoint)].Select(r => r.Rps));
                results[$"http-{endpoint}-{name}-p99-ms-median"] = Median(runs[(name, endpoint)].Select(r => r.P99));
                results[$"http-{endpoint}-{name}-server-cpu-us-median"] = Median(runs[(name, endpoint)].Select(r => r.CpuMicros));
            }
            results[$"{endpoint}-server-cpu-this-vs-baseline"] = results[$"http-{endpoint}-this-server-cpu-us-median"] / results[$"http-{endpoint}-baseline-server-cpu-us-median"];
            results[$"{endpoint}-rps-this-vs-baseline"] = results[$"http-{endpoint}-this-rps-median"] / results[$"http-{endpoint}-baseline-rps-median"];
            results[$"{endpoint}-p99-this-vs-baseline"] = results[$"http-{endpoint}-this-p99-ms-median"] / results[$"http-{endpoint}-baseline-p99-ms-median"];
        }
        // What the model path adds to a request beyond the no-op, in server CPU: the difference of the two medians.
        foreach (var (name, _) in builds)
            results[$"http-classify-minus-noop-{name}-server-cpu-us"] = results[$"http-classify-{name}-server-cpu-us-median"] - results[$"http-noop-{name}-server-cpu-us-median"];
        return results;
    }

    private static string Publish(string project, string name)
    {
        string output = Path.Combine(Path.GetTempPath(), $"servenet-bench-api-{name}");
        Peers.Run("dotnet", ["publish", project, "-c", "Release", "-o", output, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
        return output;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
