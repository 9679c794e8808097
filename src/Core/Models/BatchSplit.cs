using System.Diagnostics;
using ServeNet.Core.Kernels;

namespace ServeNet.Core.Models;

/// <summary>
/// A large batch of texts split across cores: each text's result depends on that text alone, so the batch is cut into
/// contiguous parts run at once on the calling thread and the long-lived workers of <see cref="GemmWorkers"/>. A
/// batch of 64 sentences is 0.6–0.9 ms of work on one core for the sentiment model, of which waking a worker is a few µs. When
/// the workers are busy (another request on a server has them) the batch runs whole on the calling thread, as before:
/// splitting adds speed to an idle core, never a queue.
/// </summary>
/// <remarks>
/// Parts are cut by cost (a text's characters plus <see cref="CostPerText"/>) in proportion to how fast each part ran
/// lately. On a shared machine one core can run a third slower than the other for seconds at a time (measured here:
/// the worker's half of a 64-sentence batch took 30% longer than the caller's for seconds, then the caller's 20% longer),
/// and equal halves left the faster core waiting for the other; the speeds are learnt from the parts' own timings.
/// </remarks>
public static class BatchSplit
{
    /// <summary>Texts per part: a smaller batch runs on the calling thread.</summary>
    public const int MinTextsPerPart = 16;

    /// <summary>What a text costs beyond its characters (its row through the network, its result), in characters.</summary>
    public const int CostPerText = 32;

    // Each part's recent speed in cost units per Stopwatch tick, smoothed over calls (0: not measured yet). Written after
    // a split call by the one caller that held the workers; a stale read by another caller only moves a cut.
    private static readonly double[] s_speeds = new double[Math.Max(2, Environment.ProcessorCount)];
    private const double Smoothing = 0.25, MinShare = 0.5;

    /// <summary>run(texts), computed part by part on several cores when the batch is large enough; results in order.</summary>
    public static TResult[] AcrossCores<TResult>(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, CancellationToken, TResult[]> run,
        CancellationToken cancellationToken = default)
    {
        int parts = Math.Min(Environment.ProcessorCount, texts.Count / MinTextsPerPart);
        if (parts < 2) return run(texts, cancellationToken);
        var all = texts as string[] ?? [.. texts];
        var results = new TResult[all.Length];
        var costs = Costs(all);
        var cuts = Cut(costs, Speeds(parts));
        var ticks = new long[parts];
        bool ran = GemmWorkers.TryRun(part =>
        {
            long started = Stopwatch.GetTimestamp();
            int start = cuts[part], end = cuts[part + 1];
            run(new ArraySegment<string>(all, start, end - start), cancellationToken).CopyTo(results, start);
            ticks[part] = Stopwatch.GetTimestamp() - started;
        }, parts);
        if (!ran) return run(texts, cancellationToken);
        Learn(costs, cuts, ticks);
        return results;
    }

    // Running cost: costs[i] = the cost of texts [0, i).
    private static long[] Costs(string[] texts)
    {
        var costs = new long[texts.Length + 1];
        for (int i = 0; i < texts.Length; i++) costs[i + 1] = costs[i] + texts[i].Length + CostPerText;
        return costs;
    }

    private static double[] Speeds(int parts)
    {
        var speeds = new double[parts];
        for (int p = 0; p < parts; p++) speeds[p] = Volatile.Read(ref s_speeds[p]);
        return speeds;
    }

    /// <summary>
    /// parts + 1 cut points over texts of running cost <paramref name="costs"/> (costs[i]: texts [0, i)): part p gets a
    /// share of the cost in proportion to speeds[p] (equal shares while any speed is unknown), never less than half an
    /// equal share, and at least one text.
    /// </summary>
    internal static int[] Cut(long[] costs, double[] speeds)
    {
        int parts = speeds.Length, count = costs.Length - 1;
        var shares = Shares(speeds);
        var cuts = new int[parts + 1];
        cuts[parts] = count;
        double running = 0;
        for (int p = 1; p < parts; p++)
        {
            running += shares[p - 1];
            long target = (long)Math.Round(running * costs[count]);
            int at = Array.BinarySearch(costs, target);
            if (at < 0) at = ~at; // the first text boundary at or past the target
            if (at > 0 && target - costs[at - 1] < costs[at] - target) at--; // or the nearer one before it
            cuts[p] = Math.Clamp(at, cuts[p - 1] + 1, count - (parts - p));
        }
        return cuts;
    }

    // Shares in proportion to the speeds, those below the floor raised to it and the rest shared by the others.
    private static double[] Shares(double[] speeds)
    {
        int parts = speeds.Length;
        var shares = new double[parts];
        if (speeds.Any(s => s <= 0))
        {
            Array.Fill(shares, 1.0 / parts);
            return shares;
        }
        double floor = MinShare / parts;
        var raised = new bool[parts];
        for (bool changed = true; changed;)
        {
            changed = false;
            double left = 1 - floor * raised.Count(r => r), speed = 0;
            for (int p = 0; p < parts; p++) if (!raised[p]) speed += speeds[p];
            for (int p = 0; p < parts; p++)
            {
                shares[p] = raised[p] ? floor : left * speeds[p] / speed;
                if (!raised[p] && shares[p] < floor) raised[p] = changed = true;
            }
        }
        return shares;
    }

    // A part's speed: the cost it ran per tick, smoothed.
    private static void Learn(long[] costs, int[] cuts, long[] ticks)
    {
        for (int p = 0; p + 1 < cuts.Length; p++)
        {
            if (ticks[p] <= 0) continue;
            double speed = (double)(costs[cuts[p + 1]] - costs[cuts[p]]) / ticks[p], previous = Volatile.Read(ref s_speeds[p]);
            Volatile.Write(ref s_speeds[p], previous > 0 ? previous + Smoothing * (speed - previous) : speed);
        }
    }
}
