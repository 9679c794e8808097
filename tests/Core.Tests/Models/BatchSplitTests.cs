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
}
