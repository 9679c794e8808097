using ServeNet.Core.Kernels;
using ServeNet.Core.Models;

namespace ServeNet.Core.Tests.Models;

public sealed class BatchSplitTests
{
    private static string[] Texts(int count) => Enumerable.Range(0, count).Select(i => $"text {i}").ToArray();

    [Fact]
    public void AcrossCores_LargeBatch_GivesEveryTextToOnePartAndKeepsResultsInOrder()
    {
        var texts = Texts(100);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        int calls = 0;

        var results = BatchSplit.AcrossCores(texts, (part, _) =>
        {
            Interlocked.Increment(ref calls);
            foreach (var text in part) seen.Add(text);
            return part.Select(t => t.ToUpperInvariant()).ToArray();
        });

        Assert.Equal(texts.Select(t => t.ToUpperInvariant()), results);
        Assert.Equal(texts.Order(), seen.Order());
        // Split in as many parts as there are cores (at most 100 / 16), or whole when the workers were busy.
        Assert.Contains(calls, new[] { 1, Math.Min(Environment.ProcessorCount, 100 / BatchSplit.MinTextsPerPart) });
    }

    [Fact]
    public void AcrossCores_BatchSmallerThanTwoParts_RunsWholeOnTheCallingThread()
    {
        int thread = Environment.CurrentManagedThreadId, calls = 0;

        var results = BatchSplit.AcrossCores(Texts(2 * BatchSplit.MinTextsPerPart - 1), (part, _) =>
        {
            calls++;
            Assert.Equal(thread, Environment.CurrentManagedThreadId);
            return part.ToArray();
        });

        Assert.Equal(1, calls);
        Assert.Equal(2 * BatchSplit.MinTextsPerPart - 1, results.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void AcrossCores_CancelledInAnyPart_ThrowsTheCancellationItself(int cancelledText)
    {
        // Text 0 is in the part the calling thread runs, text 99 in a worker's (when split).
        var texts = Texts(100);

        Assert.ThrowsAny<OperationCanceledException>(() => BatchSplit.AcrossCores(texts, (part, _) =>
        {
            if (part.Contains(texts[cancelledText])) throw new OperationCanceledException();
            return part.ToArray();
        }));
        // The workers are free again: the next split batch completes.
        Assert.Equal(100, BatchSplit.AcrossCores(texts, (part, _) => part.ToArray()).Length);
    }

    [Fact]
    public void GemmWorkers_JobStartedInsideAJob_RunsOnItsOwnThreadInsteadOfReenteringTheWorkers()
    {
        if (Environment.ProcessorCount < 2) return;
        bool? nested = null;
        // Other tests' products may hold the workers for a while: retry, a millisecond apart, until this job has them.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (nested is null && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (!GemmWorkers.TryRun(part => { if (part == 0) nested = GemmWorkers.TryRun(_ => { }, 2); }, 2)) Thread.Sleep(1);
        }

        Assert.False(nested);
    }

    // Running costs of texts with the given costs: costs[i] = the cost of texts [0, i).
    private static long[] Running(params int[] costs)
    {
        var running = new long[costs.Length + 1];
        for (int i = 0; i < costs.Length; i++) running[i + 1] = running[i] + costs[i];
        return running;
    }

    [Fact]
    public void Cut_SpeedsNotMeasuredYet_GivesEachPartAnEqualShareOfTheCost()
    {
        Assert.Equal([0, 50, 100], BatchSplit.Cut(Running(Enumerable.Repeat(40, 100).ToArray()), [0, 0]));
        // Cost, not count: the one long text is a part's share by itself.
        Assert.Equal([0, 1, 11], BatchSplit.Cut(Running([400, .. Enumerable.Repeat(40, 10)]), [0, 0]));
    }

    [Fact]
    public void Cut_ACoreTwiceAsFast_GetsTwiceTheCost()
    {
        Assert.Equal([0, 67, 100], BatchSplit.Cut(Running(Enumerable.Repeat(40, 100).ToArray()), [2.0, 1.0]));
        Assert.Equal([0, 33, 100], BatchSplit.Cut(Running(Enumerable.Repeat(40, 100).ToArray()), [1.0, 2.0]));
        Assert.Equal([0, 20, 40, 100], BatchSplit.Cut(Running(Enumerable.Repeat(40, 100).ToArray()), [1.0, 1.0, 3.0]));
    }

    [Fact]
    public void Cut_ACoreFarSlowerThanTheOthers_StillGetsHalfAnEqualShareAndEveryPartATextAtLeast()
    {
        // Its speed is learnt from its own parts: starved of texts, a slow spell would never be seen to end.
        Assert.Equal([0, 75, 100], BatchSplit.Cut(Running(Enumerable.Repeat(40, 100).ToArray()), [100.0, 1.0]));
        Assert.Equal([0, 1, 2], BatchSplit.Cut(Running(1000, 1), [1.0, 1.0]));
        Assert.Equal([0, 1, 2, 3], BatchSplit.Cut(Running(5, 1000, 5), [1.0, 1.0, 1.0]));
    }
}
