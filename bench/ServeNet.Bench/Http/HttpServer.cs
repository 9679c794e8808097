using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServeNet.Bench;

/// <summary>
/// A server the HTTP benchmark started: pinned with taskset to the CPUs every contender gets, its
/// output drained (and the last lines kept, to explain a failure), killed with its children (uvicorn's
/// workers) when disposed, whatever happened.
/// </summary>
internal sealed class HttpServer : IDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private HttpServer(string name, string url, Process process)
    {
        Name = name;
        Url = url;
        _process = process;
    }

    public string Name { get; }
    public string Url { get; }

    /// <param name="cpus">taskset -c list ("0-1"); null runs the server unpinned.</param>
    /// <param name="workingDirectory">Where the server runs (a published app: its own folder, as in production).</param>
    public static HttpServer Start(string name, string url, string file, IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment, string? cpus, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(cpus is null ? file : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        if (cpus is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpus);
            start.ArgumentList.Add(file);
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}: {file}.");
        var server = new HttpServer(name, url, process);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls GET /health/ready until 200; fails with the server's last output if it exits or never answers.</summary>
    public void WaitReady(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            EnsureRunning();
            try
            {
                if (client.GetAsync(Url + "/health/ready").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"{Name}: {Url}/health/ready did not answer 200 within {timeout.TotalSeconds:F0} s. Its last output:\n{Tail}");
    }

    public void EnsureRunning()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}. Its last output:\n{Tail}");
    }

    public string Tail => string.Join('\n', _tail);

    /// <summary>CPU time the server process has used so far (user and system), for CPU per request.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > TailLines) _tail.TryDequeue(out _);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
