using System.Runtime.Intrinsics.X86;

namespace ServeNet.Bench;

/// <summary>
/// The machine a benchmark ran on, for its output and docs/benchmarks.md's table per CPU: the CPU model
/// (from /proc/cpuinfo), the cores this process may use and the widest vector instruction set.
/// </summary>
internal static class Machine
{
    public static string Describe()
    {
        string model = "unknown CPU", family = "?", number = "?";
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var (key, value) = Split(line);
                if (key == "model name") model = value;
                else if (key == "cpu family") family = value;
                else if (key == "model") number = value;
                else if (key.Length == 0) break; // the first processor is enough
            }
        }
        string isa = Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : "no AVX2";
        return $"{model} (family {family} model {number}), {Environment.ProcessorCount} cores, {isa}";
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
