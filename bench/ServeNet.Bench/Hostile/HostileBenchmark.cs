using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServeNet.Core.Checkpoints;

namespace ServeNet.Bench.Hostile;

/// <summary>
/// The hostile-traffic replay of issue 12 on loopback: the API is published in Release and started
/// with its default settings on copies of the shipped checkpoints (laid out as a Kubernetes ConfigMap:
/// sentiment.ckpt → ..data/sentiment.ckpt, ..data → a dated folder), then each row of the issue's
/// table is sent in bounded time and reported with the status counts, its time, the server's peak
/// RSS during the row and its RSS two seconds after; then a soak of mixed /classify and /ner traffic
/// with wrk. <c>--heap-limit-mb</c> runs the server under DOTNET_GCHeapHardLimit.
/// </summary>
internal static partial class HostileBenchmark
{
    private const string Url = "http://127.0.0.1:5098";

    internal sealed record Row(string Name, string Statuses, TimeSpan Time, long PeakRss, long RssAfter, string Note);

    public static int Run(bool quick, int heapLimitMb, int soakSeconds, bool sizing)
    {
        if (!File.Exists("/usr/bin/wrk")) throw new InvalidOperationException("wrk not found: run 'bash bench/setup.sh' (apt-get install wrk).");
        string publish = Path.Combine(Path.GetTempPath(), "servenet-bench-hostile-api");
        Peers.Run("dotnet", ["publish", "src/Api", "-c", "Release", "-o", publish, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
        if (sizing) return Sizing(publish);
        string models = ConfigMapLayout();
        var environment = new Dictionary<string, string> { ["ServeNet__Models__Directory"] = models };
        if (heapLimitMb > 0) environment["DOTNET_GCHeapHardLimit"] = $"0x{(long)heapLimitMb << 20:X}";
        Console.WriteLine($"# hostile traffic on loopback; API published in Release, default settings{(heapLimitMb > 0 ? $", DOTNET_GCHeapHardLimit = {heapLimitMb} MiB" : "")}; "
            + $"{Environment.ProcessorCount} cores shared with the clients");

        var rows = new List<Row>();
        bool anyServerError = false;
        using (var server = new ApiServer(publish, Url, environment))
        {
            server.WaitReadyAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
            using var client = Client();
            WarmUp(client).GetAwaiter().GetResult();
            // The baseline is a server that has served ordinary load: its pools and heaps at their working size.
            Peers.Run("/usr/bin/wrk", ["-t", "2", "-c", "64", "-d", "10s", "-s", "bench/http/mixed.lua", $"{Url}/classify"], TimeSpan.FromSeconds(70));
            Thread.Sleep(2000);
            long baseline = server.Rss;
            Console.WriteLine($"baseline RSS after warm-up (200 requests of each kind, then 10 s of wrk at 64 connections): {Mb(baseline)}");
            Console.WriteLine($"{"row",-58} {"statuses",-34} {"time",8} {"peak RSS",9} {"RSS after",9}  note");

            void Report(Row row)
            {
                rows.Add(row);
                Console.WriteLine($"{row.Name,-58} {row.Statuses,-34} {row.Time.TotalSeconds,7:F2}s {Mb(row.PeakRss),9} {Mb(row.RssAfter),9}  {row.Note}");
            }
            foreach (var row in Replay(server, client, models, quick)) Report(row);

            var soak = Soak(server, soakSeconds > 0 ? soakSeconds : quick ? 10 : 60);
            Report(soak);
            long end = server.Rss;
            anyServerError = server.Lines.Any(l => l.Contains(" responded 500 ", StringComparison.Ordinal) || l.Contains("OutOfMemoryException", StringComparison.Ordinal));
            Console.WriteLine($"RSS at the end: {Mb(end)} ({(end - baseline) / 1e6:+0;-0} MB against the baseline); "
                + $"server log: {server.Lines.Count(l => l.StartsWith("   at ", StringComparison.Ordinal))} stack-trace lines, "
                + $"{server.Lines.Count(l => l.Contains(" responded 500 ", StringComparison.Ordinal))} answers 500, "
                + $"{server.Lines.Count(l => l.Contains("OutOfMemoryException", StringComparison.Ordinal))} OutOfMemoryException");
        }

        foreach (var row in Shutdown(publish, environment)) Console.WriteLine($"{row.Name,-58} {row.Statuses,-34} {row.Time.TotalSeconds,7:F2}s {"",9} {"",9}  {row.Note}");
        Directory.Delete(models, recursive: true);
        return anyServerError ? 1 : 0;
    }

    private static HttpClient Client() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task WarmUp(HttpClient client)
    {
        for (int i = 0; i < 200; i++)
        {
            await client.PostAsJsonAsync("/classify", new { text = "a wonderful, moving film" });
            await client.PostAsJsonAsync("/classify?explain=true", new { text = "a dull, tedious mess" });
            await client.PostAsJsonAsync("/ner", new { text = "Angela Merkel visited Paris on Monday." });
        }
        await Task.Delay(1000);
    }

    // models/..2026_11_30_a/{sentiment,ner}.ckpt, ..data → ..2026_11_30_a, each checkpoint a link through ..data.
    private static string ConfigMapLayout()
    {
        string root = Directory.CreateTempSubdirectory("servenet-hostile-models-").FullName;
        string first = Directory.CreateDirectory(Path.Combine(root, "..2026_11_30_a")).FullName;
        foreach (string file in new[] { "sentiment.ckpt", "ner.ckpt" })
        {
            File.Copy(Path.Combine(BenchData.ModelsDirectory, file), Path.Combine(first, file));
            File.CreateSymbolicLink(Path.Combine(root, file), Path.Combine("..data", file));
        }
        Directory.CreateSymbolicLink(Path.Combine(root, "..data"), "..2026_11_30_a");
        return root;
    }

    private static IEnumerable<Row> Replay(ApiServer server, HttpClient client, string models, bool quick)
    {
        string commas = new(',', 100_000);
        string prose = Prose(100_000);

        yield return Measure(server, "1 explain of 100,000 commas", () =>
            Posts(client, 1, _ => ("/classify?explain=true", new { text = commas })));

        yield return Measure(server, "2 the same as a batch of 10 (1 MB), client gone at 2 s", () =>
            Posts(client, 1, _ => ("/classify?explain=true", new { texts = Enumerable.Repeat(commas, 10) }), clientTimeout: TimeSpan.FromSeconds(2)));

        // The largest batch the limits allow, abandoned by its client after 50 ms: the server must stop between passes.
        string fiveThousand = Tokens(5_000);
        yield return Measure(server, "2b allowed /ner batch (20,000 tokens), client gone at 50 ms", () =>
            Posts(client, 1, _ => ("/ner", new { texts = Enumerable.Repeat(fiveThousand, 4) }), clientTimeout: TimeSpan.FromMilliseconds(50)));

        yield return Measure(server, "3 four such explain batches at once", () =>
            Posts(client, 4, _ => ("/classify?explain=true", new { texts = Enumerable.Repeat(commas, 10) })));

        yield return Measure(server, "4 /ner batch of 10 × 100,000 characters", () =>
            Posts(client, 1, _ => ("/ner", new { texts = Enumerable.Repeat(prose, 10) })));

        yield return Measure(server, "5a one 50,000-token /ner", () =>
            Posts(client, 1, _ => ("/ner", new { text = new string(',', 50_000) })));
        yield return Measure(server, "5b 8 concurrent 5,000-token /ner", () =>
            Posts(client, 8, _ => ("/ner", new { text = fiveThousand })));
        string twoThousand = Tokens(2_000);
        yield return Measure(server, "5c then 16 ordinary 2,000-token /ner", () =>
            Posts(client, 16, _ => ("/ner", new { text = twoThousand })));

        // Overload: more of the largest requests at once than the permits and the queue hold.
        yield return Measure(server, "5d overload: 64 of the largest /ner batches at once", () =>
            Posts(client, 64, _ => ("/ner", new { texts = Enumerable.Repeat(fiveThousand, 4) })));

        yield return InventedMethods(server, client, quick ? 3_000 : 33_000);

        int slow = quick ? 100 : 1_000;
        yield return SlowUploads(server, $"7 {slow:N0} uploads at 300 B/s, dropped after 5 s", slow, abandon: true);
        yield return SlowUploads(server, $"7b {slow:N0} uploads at 300 B/s, kept open", slow, abandon: false);

        yield return SymlinkSwap(server, client, models);
        yield return HugeCheckpoint(server, client, models);
        yield return KestrelEdges(server);
    }

    private static Row Measure(ApiServer server, string name, Func<Task<(string Statuses, string Note)>> action)
    {
        double cpuBefore = server.CpuSeconds;
        var clock = Stopwatch.StartNew();
        (string Statuses, string Note) outcome;
        long peak;
        using (var sampler = server.SampleRss())
        {
            outcome = action().GetAwaiter().GetResult();
            clock.Stop();
            Thread.Sleep(2000);
            peak = sampler.Peak;
        }
        double cpu = server.CpuSeconds - cpuBefore;
        string note = string.IsNullOrEmpty(outcome.Note) ? $"server CPU {cpu:F2} s" : $"{outcome.Note}; server CPU {cpu:F2} s";
        return new Row(name, outcome.Statuses, clock.Elapsed, peak, server.Rss, note);
    }

    // `count` requests at once; a client that gives up reports "gone".
    private static async Task<(string, string)> Posts(HttpClient client, int count, Func<int, (string Url, object Body)> request, TimeSpan? clientTimeout = null)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var (url, body) = request(i);
            using var limit = new CancellationTokenSource(clientTimeout ?? TimeSpan.FromSeconds(60));
            try
            {
                using var response = await client.PostAsJsonAsync(url, body, limit.Token);
                string media = response.Content.Headers.ContentType?.MediaType ?? "";
                await response.Content.CopyToAsync(Stream.Null, limit.Token);
                string status = media == "application/problem+json" || response.IsSuccessStatusCode ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                    : $"{(int)response.StatusCode}(bare)";
                return response.Headers.RetryAfter is { Delta: { } wait } ? $"{status}(Retry-After {wait.TotalSeconds:0})" : status;
            }
            catch (OperationCanceledException)
            {
                return "gone";
            }
        }));
        return (Count(statuses), "");
    }

    private static string Count(IEnumerable<string> statuses) =>
        string.Join(" ", statuses.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));

    // Exactly n tokens of news prose (each word and the full stop apart).
    private static string Tokens(int n)
    {
        string[] words = "Angela Merkel visited Paris on Monday to meet the French president .".Split(' ');
        return string.Join(' ', Enumerable.Range(0, n).Select(i => words[i % words.Length]));
    }

    private static string Prose(int characters)
    {
        const string sentence = "Angela Merkel visited Paris on Monday to meet the French president. ";
        var text = new StringBuilder(characters + sentence.Length);
        while (text.Length < characters) text.Append(sentence);
        return text.ToString(0, characters);
    }

    private static Row InventedMethods(ApiServer server, HttpClient client, int count)
    {
        long metricsBefore = client.GetStringAsync("/metrics").GetAwaiter().GetResult().Length;
        var row = Measure(server, $"6 {count:N0} requests with invented methods", async () =>
        {
            var random = new Random(12);
            var statuses = new string[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            {
                var method = new HttpMethod(new string(Enumerable.Range(0, 12).Select(_ => (char)('A' + random.Next(26))).ToArray()));
                using var response = await client.SendAsync(new HttpRequestMessage(method, "/x"));
                statuses[i] = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            });
            string metrics = await client.GetStringAsync("/metrics");
            int series = metrics.Split('\n').Count(l => l.StartsWith("http_requests_received_total{", StringComparison.Ordinal));
            return (Count(statuses), $"/metrics {metricsBefore / 1e3:F1} → {metrics.Length / 1e3:F1} KB, {series} request-count series");
        });
        return row;
    }

    private static Row SlowUploads(ApiServer server, string name, int count, bool abandon)
    {
        int linesBefore = server.Lines.Count;
        var row = Measure(server, name, async () =>
        {
            var outcomes = await RawHttp.SlowUploadsAsync(new Uri(Url), count, bodyBytes: 100_000, bytesPerSecond: 300,
                stopAfter: abandon ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15), abandon, patience: TimeSpan.FromSeconds(5));
            return (Count(outcomes), "");
        });
        Thread.Sleep(1000);
        var lines = server.Lines.Skip(linesBefore).ToArray();
        string log = $"log: {lines.Count(l => l.Contains("HTTP POST /classify responded", StringComparison.Ordinal))} request lines "
            + $"({Count(lines.Select(l => Regex.Match(l, @"HTTP POST /classify responded (\d+)")).Where(m => m.Success).Select(m => m.Groups[1].Value))}), "
            + $"{lines.Count(l => l.StartsWith("   at ", StringComparison.Ordinal))} stack-trace lines, "
            + Warnings(lines);
        return row with { Note = $"{log}; {row.Note}" };
    }

    // The framework's warnings and errors, counted by message (its first 60 characters).
    private static string Warnings(IEnumerable<string> lines)
    {
        var warnings = lines.Where(l => l.Contains(" WRN] Microsoft.AspNetCore", StringComparison.Ordinal) || l.Contains(" ERR] Microsoft.AspNetCore", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l[(l.IndexOf(':', l.IndexOf(']')) + 2)..], "\"[^\"]*\"", "\"…\""))
            .Select(m => m[..Math.Min(60, m.Length)]).ToArray();
        return warnings.Length == 0 ? "0 framework warnings" : $"{warnings.Length} framework warnings ({Count(warnings)})";
    }

    private static Row SymlinkSwap(ApiServer server, HttpClient client, string models)
    {
        // A second sentiment checkpoint of the same size and write time: the same weights, a name of the same length.
        string second = Directory.CreateDirectory(Path.Combine(models, "..2026_11_30_b")).FullName;
        string firstFile = Path.Combine(models, "..2026_11_30_a", "sentiment.ckpt"), secondFile = Path.Combine(second, "sentiment.ckpt");
        Resave(firstFile, secondFile);
        File.Copy(Path.Combine(models, "..2026_11_30_a", "ner.ckpt"), Path.Combine(second, "ner.ckpt"));
        File.SetLastWriteTimeUtc(secondFile, File.GetLastWriteTimeUtc(firstFile));
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(secondFile)));
        string sameSize = new FileInfo(firstFile).Length == new FileInfo(secondFile).Length ? "same size and time" : "sizes differ";
        return Measure(server, "8 checkpoint swapped by its ..data link", async () =>
        {
            Directory.CreateSymbolicLink(Path.Combine(models, "..data_tmp"), "..2026_11_30_b");
            using (var mv = Process.Start("mv", ["-T", Path.Combine(models, "..data_tmp"), Path.Combine(models, "..data")])) await mv.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                var sentiment = (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("models")[0];
                if (sentiment.GetProperty("sha256").GetString() == expected)
                    return ("200", $"{sameSize}; /models has the new SHA-256 after {clock.Elapsed.TotalSeconds:F1} s");
                await Task.Delay(100);
            }
            return ("200", $"{sameSize}; /models still had the old SHA-256 after 20 s");
        });
    }

    private static void Resave(string source, string destination)
    {
        var model = ServeNet.Core.Sentiment.TextClassifier.Load(source);
        var checkpoint = Checkpoint.Read(source);
        string name = model.Info.Name;
        string renamed = name[..^1] + (name[^1] == 'x' ? 'y' : 'x');
        ServeNet.Core.Sentiment.TextClassifier.Save(destination, model.Network, model.Vocabulary, model.Tokenizer.Settings, model.Labels, renamed,
            checkpoint.Metadata["training"]!.AsObject().DeepClone().AsObject(), checkpoint.Metadata["metrics"]!.AsObject().DeepClone().AsObject(), model.Bag);
    }

    private static Row HugeCheckpoint(ApiServer server, HttpClient client, string models)
    {
        string huge = Path.Combine(models, "huge.tmp");
        using (var file = File.Create(huge)) file.SetLength(1_900_000_000); // sparse: no disk
        var row = Measure(server, "9 a 1.9 GB file moved over sentiment.ckpt", async () =>
        {
            File.Move(huge, Path.Combine(models, "sentiment.ckpt"), overwrite: true);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                var sentiment = (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("models")[0];
                if (sentiment.GetProperty("lastError").ValueKind == JsonValueKind.Object)
                {
                    string reason = sentiment.GetProperty("lastError").GetProperty("reason").GetString()!;
                    var answer = await client.PostAsJsonAsync("/classify", new { text = "a good film" });
                    return ($"{(int)answer.StatusCode}", $"refused after {clock.Elapsed.TotalSeconds:F1} s: \"{reason[..Math.Min(60, reason.Length)]}…\"; "
                        + $"status {sentiment.GetProperty("status").GetString()}");
                }
                await Task.Delay(100);
            }
            return ("none", "no refusal within 20 s");
        });
        File.Delete(Path.Combine(models, "sentiment.ckpt"));
        File.CreateSymbolicLink(Path.Combine(models, "sentiment.ckpt"), Path.Combine("..data", "sentiment.ckpt"));
        return row;
    }

    private static Row KestrelEdges(ApiServer server) => Measure(server, "11 414, 431 and Kestrel's own 400", async () =>
    {
        var uri = new Uri(Url);
        byte[] Get(string target, string extra = "") => Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {uri.Authority}\r\n{extra}\r\n");
        var cases = new (string Name, byte[] Request)[]
        {
            ("target 10,000", Get("/health/live?q=" + new string('a', 10_000))),
            ("target 20,000", Get("/health/live?q=" + new string('a', 20_000))),
            ("header 40 KB", Get("/health/live", $"X-Big: {new string('a', 40_000)}\r\n")),
            ("header 70 KB", Get("/health/live", $"X-Big: {new string('a', 70_000)}\r\n")),
            ("150 header lines", Get("/health/live", string.Concat(Enumerable.Range(0, 150).Select(i => $"X-L{i}: 1\r\n")))),
            ("malformed request line", Encoding.ASCII.GetBytes("GARBAGE\r\n\r\n")),
            ("HEAD /health/ready", Encoding.ASCII.GetBytes($"HEAD /health/ready HTTP/1.1\r\nHost: {uri.Authority}\r\n\r\n")),
        };
        var notes = new List<string>();
        var statuses = new List<string>();
        foreach (var (name, request) in cases)
        {
            var (status, media) = await RawHttp.SendAsync(uri, request, TimeSpan.FromSeconds(5));
            string shown = media == "application/problem+json" || status.StartsWith('2') ? status : $"{status}(bare)";
            statuses.Add(shown);
            notes.Add($"{name}: {shown}");
        }
        return (Count(statuses), string.Join(", ", notes));
    });

    private static Row Soak(ApiServer server, int seconds)
    {
        var samples = new List<long>();
        var row = Measure(server, $"soak: wrk {seconds} s, 64 connections, /classify and /ner", async () =>
        {
            var wrk = Task.Run(() => Peers.Run("/usr/bin/wrk",
                ["-t", "2", "-c", "64", "-d", $"{seconds}s", "--latency", "-s", "bench/http/mixed.lua", $"{Url}/classify"], TimeSpan.FromSeconds(seconds + 60)).Output);
            while (!wrk.IsCompleted)
            {
                samples.Add(server.Rss);
                await Task.WhenAny(wrk, Task.Delay(1000));
            }
            string output = await wrk;
            string requests = Regex.Match(output, @"(\d+) requests in").Groups[1].Value;
            string rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value;
            string non2xx = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)") is { Success: true } m ? m.Groups[1].Value : "0";
            string errors = Regex.Match(output, @"Socket errors:[^\n]*").Value;
            string p99 = Regex.Match(output, @"^\s*99%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;
            // RSS after the first 10 s (warm pools) until the end: the band it stayed in.
            var steady = samples.Skip(Math.Min(10, samples.Count / 2)).ToArray();
            string band = steady.Length == 0 ? "" : $"RSS {Mb(steady.Min())}..{Mb(steady.Max())} after 10 s (band {(steady.Max() - steady.Min()) / 1e6:F0} MB)";
            return ($"2xx×{long.Parse(requests, CultureInfo.InvariantCulture) - long.Parse(non2xx, CultureInfo.InvariantCulture)} non-2xx×{non2xx}",
                $"{rps} req/s, p99 {p99}, {(errors.Length > 0 ? errors : "no socket errors")}; {band}");
        });
        return row;
    }

    // SIGTERM with a request in flight: at the default settings it is answered (504 at the time limit)
    // before the host's shutdown timeout; with a 2 s shutdown timeout it is cut, and the log says so.
    private static IEnumerable<Row> Shutdown(string publish, Dictionary<string, string> environment)
    {
        foreach (var (name, shutdownSeconds) in new[] { ("10 SIGTERM, one slow upload in flight", 0), ("10b the same, shutdown timeout 2 s", 2) })
        {
            var settings = new Dictionary<string, string>(environment);
            if (shutdownSeconds > 0) settings["DOTNET_shutdownTimeoutSeconds"] = shutdownSeconds.ToString(CultureInfo.InvariantCulture);
            using var server = new ApiServer(publish, Url, settings);
            server.WaitReadyAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
            var upload = RawHttp.SlowUploadsAsync(new Uri(Url), 1, bodyBytes: 100_000, bytesPerSecond: 300, stopAfter: TimeSpan.FromSeconds(40),
                abandon: false, patience: TimeSpan.FromSeconds(5));
            Thread.Sleep(1000);
            var exit = server.TerminateAsync(TimeSpan.FromSeconds(60));
            var outcome = upload.GetAwaiter().GetResult();
            var exited = exit.GetAwaiter().GetResult();
            Thread.Sleep(500);
            var lines = server.Lines;
            string log = string.Join(" | ", lines.Where(l => l.Contains("Stopping:", StringComparison.Ordinal) || l.Contains("cut by shutdown", StringComparison.Ordinal)
                || l.Contains("responded", StringComparison.Ordinal) && l.Contains("/classify", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(']') + 2)..]));
            string errors = string.Join(" | ", lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(3));
            yield return new Row(name, Count(outcome), exited, 0, 0,
                $"process exited {exited.TotalSeconds:F1} s after SIGTERM; log: {log}{(errors.Length > 0 ? $"; exceptions: {errors}" : "")}");
        }
    }

    /// <summary>
    /// How the defaults were sized: the largest requests the limits allow, through servers with
    /// several MaxTokensInFlight, and ordinary traffic's cost per token of each endpoint.
    /// </summary>
    private static int Sizing(string publish)
    {
        string models = Path.GetFullPath(BenchData.ModelsDirectory);
        string text = Tokens(5_000);
        Console.WriteLine("# 8 clients, each sending 3 /ner batches of 20,000 tokens (the request limit) in turn; MaxTokensQueued 1,000,000");
        Console.WriteLine($"{"MaxTokensInFlight",18} {"wall s",7} {"req/s",6} {"p50 s",6} {"max s",6} {"peak RSS",9}");
        foreach (int budget in new[] { 20_000, 40_000, 80_000, 160_000 })
        {
            using var server = new ApiServer(publish, Url, new Dictionary<string, string>
            {
                ["ServeNet__Models__Directory"] = models,
                ["ServeNet__Overload__MaxTokensInFlight"] = budget.ToString(CultureInfo.InvariantCulture),
                ["ServeNet__Overload__MaxTokensQueued"] = "1000000",
            });
            server.WaitReadyAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
            using var client = Client();
            WarmUp(client).GetAwaiter().GetResult();
            Posts(client, 2, _ => ("/ner", new { texts = Enumerable.Repeat(text, 4) })).GetAwaiter().GetResult();
            var times = new System.Collections.Concurrent.ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            long peak;
            using (var sampler = server.SampleRss())
            {
                Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
                {
                    for (int r = 0; r < 3; r++)
                    {
                        var one = Stopwatch.StartNew();
                        using var response = await client.PostAsJsonAsync("/ner", new { texts = Enumerable.Repeat(text, 4) });
                        await response.Content.CopyToAsync(Stream.Null);
                        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"/ner answered {(int)response.StatusCode}");
                        times.Add(one.Elapsed.TotalSeconds);
                    }
                })).GetAwaiter().GetResult();
                clock.Stop();
                peak = sampler.Peak;
            }
            var sorted = times.Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{budget,18:N0} {clock.Elapsed.TotalSeconds,7:F2} {24 / clock.Elapsed.TotalSeconds,6:F1} {sorted[sorted.Length / 2],6:F2} {sorted[^1],6:F2} {Mb(peak),9}"));
        }
        return 0;
    }

    private static string Mb(long bytes) => $"{bytes / 1e6:F0} MB";
}
