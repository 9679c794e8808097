using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServeNet.Bench;

/// <summary>
/// HTTP serving with wrk on loopback: the API is published in Release and started on 127.0.0.1 with
/// its no-op endpoint turned on (ServeNet:Benchmark:NoopEndpoint: the same HTTP stack, JSON binding
/// and response, no model), then /noop, /classify and /ner are loaded in turn at 1, 16 and 64
/// connections after a warm-up. Default logging settings. The server is always stopped, whatever happens.
/// </summary>
internal static partial class HttpBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        if (!File.Exists("/usr/bin/wrk")) throw new InvalidOperationException("wrk not found: run 'bash bench/setup.sh' (apt-get install wrk).");
        int seconds = quick ? 5 : 30, warmup = quick ? 2 : 10;
        int[] connections = quick ? [1, 64] : [1, 16, 64];
        string publish = Path.Combine(Path.GetTempPath(), "servenet-bench-api");
        Peers.Run("dotnet", ["publish", "src/Api", "-c", "Release", "-o", publish, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));

        const string url = Url;
        var results = new Dictionary<string, double>();
        using (var server = StartServer(publish, url, microBatching: false))
        {
            try
            {
                RunPlain(url, results, connections, seconds, warmup);
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
        }

        // The same /classify load with micro-batching on: kept only if it beats the plain server.
        using (var server = StartServer(publish, url, microBatching: true))
        {
            try
            {
                WaitReady(url);
                Wrk(url, "classify", 16, warmup);
                foreach (int c in connections)
                {
                    var (rps, p50, p99) = Wrk(url, "classify", c, seconds);
                    results[$"http-classify-microbatch-rps-{c}c"] = rps;
                    results[$"http-classify-microbatch-p99-ms-{c}c"] = p99;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"classify+mb",-10} {c,5} {rps,10:F0} {p50,8:F2} {p99,8:F2}"));
                }
                int top = connections[^1];
                results["classify-microbatch-rps-vs-plain"] = results[$"http-classify-microbatch-rps-{top}c"] / results[$"http-classify-rps-{top}c"];
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
        }
        return results;
    }

    public const string Url = "http://127.0.0.1:5099";

    internal static Process StartServer(string publish, string url, bool microBatching)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(publish, "ServeNet.Api.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ServeNet__Models__Directory"] = Path.GetFullPath(BenchData.ModelsDirectory);
        start.Environment["ServeNet__Inference__MicroBatching"] = microBatching ? "true" : "false";
        // POST /noop, the ceiling the ratios are taken against, is mapped only when a benchmark asks for it.
        start.Environment["ServeNet__Benchmark__NoopEndpoint"] = "true";
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    private static void RunPlain(string url, Dictionary<string, double> results, int[] connections, int seconds, int warmup)
    {
        {
            WaitReady(url);
            Console.WriteLine($"# wrk on loopback, {seconds}s per run after {warmup}s warm-up, 2 wrk threads, server and wrk share the {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"endpoint",-10} {"conns",5} {"req/s",10} {"p50 ms",8} {"p99 ms",8}");
            foreach (string endpoint in new[] { "noop", "classify", "ner" })
            {
                Wrk(url, endpoint, 16, warmup); // warm-up: JIT, pools, caches
                foreach (int c in connections)
                {
                    var (rps, p50, p99) = Wrk(url, endpoint, c, seconds);
                    results[$"http-{endpoint}-rps-{c}c"] = rps;
                    results[$"http-{endpoint}-p50-ms-{c}c"] = p50;
                    results[$"http-{endpoint}-p99-ms-{c}c"] = p99;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{endpoint,-10} {c,5} {rps,10:F0} {p50,8:F2} {p99,8:F2}"));
                }
            }
            int top = connections[^1];
            results[$"classify-rps-vs-noop"] = results[$"http-classify-rps-{top}c"] / results[$"http-noop-rps-{top}c"];
            results[$"ner-rps-vs-noop"] = results[$"http-ner-rps-{top}c"] / results[$"http-noop-rps-{top}c"];
        }
    }

    internal static void WaitReady(string url)
    {
        using var client = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                if (client.GetAsync(url + "/health/ready").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"{url}/health/ready did not answer 200 within 120 s.");
    }

    internal static (double Rps, double P50, double P99) Wrk(string url, string endpoint, int connections, int seconds)
    {
        var (_, output) = Peers.Run("/usr/bin/wrk",
            ["-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
             "-d", $"{seconds}s", "--latency", "-s", $"bench/http/{endpoint}.lua", $"{url}/{endpoint}"], TimeSpan.FromSeconds(seconds + 60));
        if (NonSuccess().Match(output) is { Success: true } errors)
            throw new InvalidOperationException($"wrk saw {errors.Groups[1].Value} non-2xx responses on /{endpoint}:\n{output}");
        double rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rps, Latency(output, "50%"), Latency(output, "99%"));
    }

    // wrk prints e.g. "     99%    3.21ms" (or us / s).
    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success) throw new FormatException($"No {percentile} latency in wrk output:\n{output}");
        double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
