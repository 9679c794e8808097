using System.Runtime.InteropServices;

namespace ServeNet.Training.Reporting;

/// <summary>Describes the machine a run was timed on, for model cards and reports.</summary>
public static class MachineDescription
{
    public static string Current()
    {
        string cpu = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string simd = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512"
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "128-bit SIMD";
        return $"{cpu}, {Environment.ProcessorCount} cores, {simd}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
               $"GEMM kernel {ServeNet.Core.Kernels.KernelSet.Current.Name}";
    }
}
