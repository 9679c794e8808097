using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ServeNet.Bench.Hostile;

/// <summary>
/// The published API as a child process on loopback: started with extra environment settings, its
/// console lines kept (to count what it logged), its resident memory read from /proc, stopped by its
/// own process id.
/// </summary>
internal sealed class ApiServer : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public ApiServer(string publish, string url, IReadOnlyDictionary<string, string> environment)
    {
        Url = url;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(publish, "ServeNet.Api.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Url { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every console line so far (text log format: one line per event, then the stack's "   at" lines).</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Resident set size now, in bytes (0 once the process is gone).</summary>
    public long Rss => ReadStatus("VmRSS:");

    /// <summary>CPU seconds the process used so far (user + system).</summary>
    public double CpuSeconds
    {
        get
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{Id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    private long ReadStatus(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{Id}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API exited with code {_process.ExitCode}:\n{string.Join('\n', Lines.TakeLast(20))}");
            try
            {
                if ((await client.GetAsync(Url + "/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Url}/health/ready did not answer 200 within {timeout.TotalSeconds} s.");
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var limit = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
        }
        return clock.Elapsed;
    }

    /// <summary>Samples RSS every 50 ms until disposed; <see cref="RssSampler.Peak"/> is the largest seen.</summary>
    public RssSampler SampleRss() => new(this);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

internal sealed class RssSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public RssSampler(ApiServer server)
    {
        _peak = server.Rss;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long rss = server.Rss;
                if (rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
