using System.Diagnostics;

namespace ServeNet.Bench;

/// <summary>
/// Timing for a shared, noisy machine: contenders are run alternately, round after round, and the
/// median of each is reported, so a burst of background load hits both sides alike.
/// </summary>
internal static class Measure
{
    /// <summary>
    /// Seconds each action is called for before it is timed. The runtime first runs quickly-compiled (tier-0) code and
    /// recompiles a method optimised only after 30 calls and a 100 ms pause in new compilations, in the
    /// background: a short warm-up timed tier-0 code (`infer --quick` measured the sentiment model from raw
    /// text at batch 1 at 20k sentences/s after 50 ms of warm-up, 71k with tiering off).
    /// </summary>
    public const double WarmUpSeconds = 0.5;

    /// <summary>Median seconds per call of each action, measured in interleaved rounds.</summary>
    /// <param name="settleSeconds">A pause before each sample, so that worker threads the previous contender left
    /// spinning are asleep before the next one is timed (see <see cref="GemmBenchmark"/>).</param>
    public static double[] Interleaved(IReadOnlyList<Action> actions, int rounds, double minSecondsPerSample = 0.02, double settleSeconds = 0)
    {
        var callsPerSample = new int[actions.Count];
        for (int i = 0; i < actions.Count; i++)
        {
            // Warm up (tier-1 JIT, caches, thread pools), then size a sample to ~minSecondsPerSample.
            var warm = Stopwatch.StartNew();
            do actions[i](); while (warm.Elapsed.TotalSeconds < WarmUpSeconds);
            var sw = Stopwatch.StartNew();
            int calls = 0;
            do { actions[i](); calls++; } while (sw.Elapsed.TotalSeconds < minSecondsPerSample / 2);
            callsPerSample[i] = Math.Max(1, (int)(calls * minSecondsPerSample / sw.Elapsed.TotalSeconds));
        }

        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < actions.Count; i++)
            {
                if (settleSeconds > 0) Thread.Sleep(TimeSpan.FromSeconds(settleSeconds));
                var sw = Stopwatch.StartNew();
                for (int c = 0; c < callsPerSample[i]; c++) actions[i]();
                samples[i].Add(sw.Elapsed.TotalSeconds / callsPerSample[i]);
            }
        }
        return samples.Select(Median).ToArray();
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
