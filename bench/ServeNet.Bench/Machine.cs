namespace ServeNet.Bench;

/// <summary>
/// The machine a benchmark ran on, for its output and docs/benchmarks.md's table per CPU, and the CPUs
/// this process may use (every server of the HTTP benchmark is pinned to them).
/// </summary>
internal static class Machine
{
    /// <summary>The trainer's machine description (CPU, cores, SIMD, OS, .NET, GEMM kernel) with the CPU's family and model numbers
    /// (the model name alone, "AMD EPYC", does not tell Zen 3 from Zen 4 or Zen 5: families 25 and 26).</summary>
    public static string Describe()
    {
        string family = "?", model = "?";
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var (key, value) = Split(line);
                if (key == "cpu family") family = value;
                else if (key == "model") model = value;
                else if (key.Length == 0) break; // the first processor is enough
            }
        }
        return $"{ServeNet.Training.Reporting.MachineDescription.Current()}; CPU family {family} model {model}";
    }

    /// <summary>The CPUs this process may run on, as taskset -c takes them ("0-1"), or null where unknown.</summary>
    public static string? AllowedCpus()
    {
        if (!File.Exists("/proc/self/status")) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var (key, value) = Split(line);
            if (key == "Cpus_allowed_list") return value;
        }
        return null;
    }

    private static (string Key, string Value) Split(string line)
    {
        int colon = line.IndexOf(':');
        return colon < 0 ? (line.Trim(), "") : (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }
}
