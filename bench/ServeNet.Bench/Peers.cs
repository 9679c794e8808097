using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ServeNet.Bench;

/// <summary>
/// Runs a peer implementation (bench/peers/torch_peer.py with Debian's PyTorch, or the ML.NET
/// console) as a child process and returns the JSON object on its last line of output.
/// </summary>
internal static class Peers
{
    public const string Python = "/usr/bin/python3";

    public static string? TorchMissing()
    {
        if (!File.Exists(Python)) return $"{Python} not found: run 'bash bench/setup.sh' (installs python3-torch).";
        var probe = Run(Python, ["-c", "import torch"], timeout: TimeSpan.FromMinutes(1), throwOnFailure: false);
        return probe.ExitCode == 0 ? null : "PyTorch is not installed: run 'bash bench/setup.sh' (apt-get install python3-torch).";
    }

    public static JsonObject Torch(string task, params string[] args) =>
        LastLineJson(Run(Python, ["bench/peers/torch_peer.py", task, .. args], TimeSpan.FromMinutes(20)).Output, $"torch_peer.py {task}");

    public static JsonObject MlNet(params string[] args)
    {
        string dll = Path.Combine("bench", "ServeNet.Bench.MlNet", "bin", "Release", "net10.0", "ServeNet.Bench.MlNet.dll");
        if (!File.Exists(dll))
            Run("dotnet", ["build", "-c", "Release", "bench/ServeNet.Bench.MlNet", "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
        return LastLineJson(Run("dotnet", [dll, .. args], TimeSpan.FromMinutes(20)).Output, "ML.NET peer");
    }

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0 && throwOnFailure)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{error.Result}\n{output}");
        return (process.ExitCode, output);
    }

    private static JsonObject LastLineJson(string output, string what)
    {
        var last = output.TrimEnd().Split('\n').LastOrDefault() ?? "";
        return JsonNode.Parse(last) as JsonObject ?? throw new InvalidOperationException($"{what} did not end with a JSON line:\n{output}");
    }
}
