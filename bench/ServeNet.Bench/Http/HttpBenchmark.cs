using System.Globalization;
using System.Text.RegularExpressions;

namespace ServeNet.Bench;

/// <summary>
/// HTTP serving with wrk on loopback, ServeNet against the servers a user would deploy instead (issue 17),
/// all started by this benchmark, pinned to the same CPUs and measured in the same run:
/// <list type="bullet">
/// <item>ServeNet's API, published in Release and run from its folder as in production, default settings
/// plus ServeNet:Benchmark:NoopEndpoint (POST /noop: the same HTTP stack and JSON binding, no model, the
/// ceiling); a second instance with ServeNet:Inference:MicroBatching on;</item>
/// <item>FastAPI + uvicorn serving the same checkpoints in PyTorch (bench/peers/torch_serve.py), one worker per core;</item>
/// <item>ML.NET's sentiment pipeline behind ASP.NET Core with a pool of prediction engines (bench/ServeNet.Bench.MlNetServe).</item>
/// </list>
/// Each answer's shape is checked before and after the load, and the peers' predictions are compared
/// with ServeNet's on dev sentences. Every load is warmed up, then the loads are interleaved — round
/// after round, each connection count, every load in turn — and the medians are reported, with ratios
/// taken round by round (side by side in time) at the highest connection count.
/// </summary>
internal static partial class HttpBenchmark
{
    private const string ServeNetUrl = "http://127.0.0.1:5099", MicroBatchUrl = "http://127.0.0.1:5100",
        FastApiUrl = "http://127.0.0.1:5101", MlNetUrl = "http://127.0.0.1:5102";

    /// <param name="Key">Names its figures: http-{Key}-rps-{c}c, http-{Key}-p99-ms-{c}c.</param>
    private sealed record Load(string Key, string Server, string Endpoint, string Script, HttpServer Process)
    {
        public string Url => $"{Process.Url}/{Endpoint}";
    }

    public static Dictionary<string, double> Run(bool quick)
    {
        RequireTools();
        int seconds = quick ? 5 : 10, warmup = quick ? 3 : 5, rounds = quick ? 1 : 3, agreementSentences = quick ? 100 : 300;
        int[] connections = quick ? [1, 64] : [1, 16, 64];
        var (api, mlnetServe, mlnetModel) = Prepare();
        string? cpus = Machine.AllowedCpus();
        int workers = Environment.ProcessorCount;
        Console.WriteLine($"# {Machine.Describe()}; every server pinned to CPUs {cpus ?? "(unpinned)"}, wrk on the same cores");

        var results = new Dictionary<string, double>();
        string models = Path.GetFullPath(BenchData.ModelsDirectory);
        using var servenet = StartServeNet(api, ServeNetUrl, models, microBatching: false, cpus);
        using var microBatching = StartServeNet(api, MicroBatchUrl, models, microBatching: true, cpus);
        using var fastapi = HttpServer.Start("FastAPI+PyTorch", FastApiUrl, Peers.Python,
            ["bench/peers/torch_serve.py", "--host", "127.0.0.1", "--port", "5101", "--workers", workers.ToString(CultureInfo.InvariantCulture), "--models", models],
            new Dictionary<string, string>(), cpus);
        using var mlnet = HttpServer.Start("ML.NET", MlNetUrl, "dotnet", [Path.Combine(mlnetServe, "ServeNet.Bench.MlNetServe.dll"), "--urls", MlNetUrl],
            new Dictionary<string, string> { ["MlNet__ModelPath"] = mlnetModel }, cpus, mlnetServe);
        HttpServer[] servers = [servenet, microBatching, fastapi, mlnet];
        foreach (var server in servers) server.WaitReady(TimeSpan.FromSeconds(180));

        // A tagger checkpoint the PyTorch port cannot read (newer features): /ner answers 501 there and is left out, loudly.
        string? fastapiNerMissing = NerUnavailable(fastapi);
        if (fastapiNerMissing is not null)
            Console.WriteLine($"# WARNING: the FastAPI peer cannot serve this models/ner.ckpt, so /ner is not measured against it and "
                + $"ner-rps-vs-fastapi is not printed: {fastapiNerMissing}");
        Load[] loads =
        [
            new("noop", "ServeNet", "noop", "noop", servenet),
            new("classify", "ServeNet", "classify", "classify", servenet),
            new("ner", "ServeNet", "ner", "ner", servenet),
            new("classify-microbatch", "ServeNet+mb", "classify", "classify", microBatching),
            new("fastapi-classify", "FastAPI", "classify", "classify", fastapi),
            new("fastapi-ner", "FastAPI", "ner", "ner", fastapi),
            new("mlnet-classify", "ML.NET", "classify", "classify", mlnet),
        ];
        if (fastapiNerMissing is not null) loads = [.. loads.Where(l => l.Key != "fastapi-ner")];
        CheckShapes(loads);
        Agreement.Run(agreementSentences,
            [("servenet", $"{ServeNetUrl}/classify"), ("fastapi", $"{FastApiUrl}/classify"), ("mlnet", $"{MlNetUrl}/classify")],
            fastapiNerMissing is null ? [("servenet", $"{ServeNetUrl}/ner"), ("fastapi", $"{FastApiUrl}/ner")] : [("servenet", $"{ServeNetUrl}/ner")],
            results);

        var samples = Measure(loads, connections, rounds, seconds, warmup);
        CheckShapes(loads); // still the right answers after the load

        Report(loads, connections, rounds, seconds, warmup, samples, results);
        return results;
    }

    /// <summary>The FastAPI peer's reason for not serving /ner (its /health/ready "nerUnavailable"), or null when it serves it.</summary>
    private static string? NerUnavailable(HttpServer fastapi)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var health = System.Text.Json.Nodes.JsonNode.Parse(client.GetStringAsync($"{fastapi.Url}/health/ready").Result);
        return health?["nerUnavailable"] is System.Text.Json.Nodes.JsonValue reason ? reason.GetValue<string>() : null;
    }

    private static void RequireTools()
    {
        if (!File.Exists(Wrk.Path)) throw new InvalidOperationException("wrk not found: run 'bash bench/setup.sh' (apt-get install wrk).");
        if (Peers.TorchMissing() is { } missing) throw new InvalidOperationException(missing);
        var probe = Peers.Run(Peers.Python, ["-c", "import fastapi, uvicorn"], TimeSpan.FromMinutes(1), throwOnFailure: false);
        if (probe.ExitCode != 0)
            throw new InvalidOperationException("FastAPI or uvicorn is not installed for /usr/bin/python3: run 'bash bench/setup.sh' (python3-fastapi, python3-uvicorn).");
    }

    /// <summary>Publishes ServeNet's API and the ML.NET server beside this program, and trains the ML.NET model once.</summary>
    private static (string Api, string MlNetServe, string MlNetModel) Prepare()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "http");
        string api = Path.Combine(output, "api"), mlnetServe = Path.Combine(output, "mlnet-serve");
        Console.WriteLine("# publishing src/Api and bench/ServeNet.Bench.MlNetServe (Release)");
        Peers.Run("dotnet", ["publish", "src/Api", "-c", "Release", "-o", api, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
        Peers.Run("dotnet", ["publish", "bench/ServeNet.Bench.MlNetServe", "-c", "Release", "-o", mlnetServe, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));

        // The model is derived from SST alone: trained once into the benchmark's cache folder, never committed.
        string model = Path.GetFullPath(Path.Combine(".cache", "bench", "mlnet-sentiment.zip"));
        if (!File.Exists(model))
        {
            Console.WriteLine($"# training the ML.NET sentiment model once into {model}");
            Peers.Run("dotnet", ["build", "-c", "Release", "bench/ServeNet.Bench.MlNet", "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
            var trained = Peers.MlNet("--save-model", model);
            Console.WriteLine($"#   dev accuracy {trained["dev_accuracy"]}, {trained["train_seconds"]} s");
        }
        return (api, mlnetServe, model);
    }

    internal static HttpServer StartServeNet(string publish, string url, string models, bool microBatching, string? cpus) =>
        HttpServer.Start(microBatching ? "ServeNet (micro-batching)" : "ServeNet", url, "dotnet", [Path.Combine(publish, "ServeNet.Api.dll"), "--urls", url],
            new Dictionary<string, string>
            {
                ["ServeNet__Models__Directory"] = models,
                ["ServeNet__Inference__MicroBatching"] = microBatching ? "true" : "false",
                // POST /noop, the ceiling the ratios are taken against, is mapped only when a benchmark asks for it.
                ["ServeNet__Benchmark__NoopEndpoint"] = "true",
            }, cpus, publish);

    /// <summary>Every prediction load answers one of wrk's texts, and all of them as a batch, with ServeNet's shapes.</summary>
    private static void CheckShapes(IEnumerable<Load> loads)
    {
        foreach (var load in loads.Where(l => l.Endpoint != "noop"))
            ResponseShapes.Probe($"{load.Server} /{load.Endpoint}", load.Url, ScriptTexts(load.Script), ner: load.Endpoint == "ner");
    }

    /// <summary>The texts a wrk script sends (the quoted strings of its texts table).</summary>
    private static string[] ScriptTexts(string script)
    {
        string path = $"bench/http/{script}.lua";
        string[] texts = [.. LuaString().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value)];
        return texts.Length > 0 ? texts
            : throw new FormatException($"{path}: no texts found (expected lines like   \"A sentence.\",   in its texts table).");
    }

    [GeneratedRegex("""^\s*"([^"]+)",\s*$""", RegexOptions.Multiline)]
    private static partial Regex LuaString();

    /// <summary>Warm-up, then rounds × connection counts × loads, interleaved; one wrk result per (load, c) per round.</summary>
    private static Dictionary<(string Key, int Connections), List<WrkResult>> Measure(Load[] loads, int[] connections, int rounds, int seconds, int warmup)
    {
        Console.WriteLine($"# warm-up: {warmup} s of 16 connections per load");
        foreach (var load in loads)
        {
            Wrk.Run($"{load.Server} /{load.Endpoint}", load.Url, load.Script, 16, warmup); // JIT, pools, caches
            load.Process.EnsureRunning();
        }
        var samples = new Dictionary<(string, int), List<WrkResult>>();
        Console.WriteLine($"# {rounds} round(s), {seconds} s per run, loads interleaved");
        Console.WriteLine($"{"round",5} {"server",-12} {"endpoint",-9} {"conns",5} {"req/s",10} {"p50 ms",8} {"p99 ms",8}");
        for (int round = 0; round < rounds; round++)
        {
            foreach (int c in connections)
            {
                // The order rotates each round, so that no load always runs right after the same neighbour.
                for (int k = 0; k < loads.Length; k++)
                {
                    var load = loads[(k + round) % loads.Length];
                    var result = Wrk.Run($"{load.Server} /{load.Endpoint}", load.Url, load.Script, c, seconds);
                    load.Process.EnsureRunning();
                    (samples.TryGetValue((load.Key, c), out var list) ? list : samples[(load.Key, c)] = []).Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{round + 1,5} {load.Server,-12} /{load.Endpoint,-8} {c,5} {result.Rps,10:F0} {result.P50,8:F2} {result.P99,8:F2}"));
                }
            }
        }
        return samples;
    }

    private static void Report(Load[] loads, int[] connections, int rounds, int seconds, int warmup,
        Dictionary<(string Key, int Connections), List<WrkResult>> samples, Dictionary<string, double> results)
    {
        Console.WriteLine();
        Console.WriteLine($"# medians of {rounds} round(s) of {seconds} s after {warmup} s warm-up; wrk -t2 (-t1 at 1 connection) --latency; bench/http/*.lua");
        Console.WriteLine($"{"server",-12} {"endpoint",-9} {"conns",5} {"req/s",10} {"p50 ms",8} {"p99 ms",8}  {"req/s over rounds",-20}");
        foreach (var load in loads)
        {
            foreach (int c in connections)
            {
                var runs = samples[(load.Key, c)];
                double rps = Median(runs.Select(r => r.Rps)), p50 = Median(runs.Select(r => r.P50)), p99 = Median(runs.Select(r => r.P99));
                results[$"http-{load.Key}-rps-{c}c"] = rps;
                results[$"http-{load.Key}-p50-ms-{c}c"] = p50;
                results[$"http-{load.Key}-p99-ms-{c}c"] = p99;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{load.Server,-12} /{load.Endpoint,-8} {c,5} {rps,10:F0} {p50,8:F2} {p99,8:F2}  {string.Join(" ", runs.Select(r => r.Rps.ToString("F0", CultureInfo.InvariantCulture)))}"));
            }
        }

        // Ratios round by round at the highest connection count (the two runs of a round are minutes apart
        // at most), then their median: ServeNet / peer, higher is better for ServeNet.
        int top = connections[^1];
        void Ratio(string name, string ours, string theirs)
        {
            if (samples.TryGetValue((theirs, top), out var peer))
                results[name] = Median(samples[(ours, top)].Zip(peer, (a, b) => a.Rps / b.Rps));
        }
        Ratio("classify-rps-vs-fastapi", "classify", "fastapi-classify");
        Ratio("classify-rps-vs-mlnet", "classify", "mlnet-classify");
        Ratio("ner-rps-vs-fastapi", "ner", "fastapi-ner");
        Ratio("classify-rps-vs-noop", "classify", "noop");
        Ratio("ner-rps-vs-noop", "ner", "noop");
        Ratio("classify-microbatch-rps-vs-plain", "classify-microbatch", "classify");
        Console.WriteLine($"# ratios: ServeNet / peer req/s at {top} connections, median of the {rounds} round(s)' ratios");
    }

    private static double Median(IEnumerable<double> values) => ServeNet.Bench.Measure.Median(values);
}
