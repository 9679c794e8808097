using System.Globalization;
using System.Text.RegularExpressions;

namespace ServeNet.Bench;

/// <summary>One wrk run's figures: requests per second, latency percentiles in milliseconds, and the requests it completed.</summary>
internal readonly record struct WrkResult(double Rps, double P50, double P99, long Requests);

/// <summary>
/// wrk on loopback with one of bench/http/*.lua (run from the repository root), 2 threads (1 for one
/// connection), latency percentiles on. Any non-2xx response or socket error fails the run loudly: a
/// server that answers errors fast must not be reported as fast.
/// </summary>
internal static partial class Wrk
{
    public const string Path = "/usr/bin/wrk";

    public static WrkResult Run(string who, string url, string script, int connections, int seconds)
    {
        var (_, output) = Peers.Run(Path,
            ["-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
             "-d", $"{seconds}s", "--latency", "-s", $"bench/http/{script}.lua", url], TimeSpan.FromSeconds(seconds + 60));
        if (NonSuccess().Match(output) is { Success: true } errors)
            throw new InvalidOperationException($"{who}: wrk saw {errors.Groups[1].Value} non-2xx responses from {url} at {connections} connections:\n{output}");
        if (SocketErrors().Match(output) is { Success: true } socket)
            throw new InvalidOperationException($"{who}: wrk saw socket errors ({socket.Groups[1].Value}) on {url} at {connections} connections:\n{output}");
        var rps = RequestsPerSecond().Match(output);
        if (!rps.Success) throw new FormatException($"{who}: no Requests/sec in wrk output:\n{output}");
        var requests = RequestCount().Match(output);
        if (!requests.Success) throw new FormatException($"{who}: no request count in wrk output:\n{output}");
        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), Latency(output, "50%"), Latency(output, "99%"),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture));
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

    // "  612345 requests in 30.00s, 98.12MB read"
    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    // Printed only when some count is non-zero: "Socket errors: connect 0, read 3, write 0, timeout 0".
    [GeneratedRegex(@"Socket errors:\s+(connect \d+, read \d+, write \d+, timeout \d+)")]
    private static partial Regex SocketErrors();
}
