using ServeNet.Core.Kernels;

namespace ServeNet.Core.Models;

/// <summary>
/// A large batch of texts split across cores: each text's result depends on that text alone, so the batch is cut into
/// contiguous parts run at once on the calling thread and the long-lived workers of <see cref="GemmWorkers"/>. A
/// batch of 64 sentences is 0.6–0.9 ms of work on one core for the sentiment model, of which waking a worker is a few µs. When
/// the workers are busy (another request on a server has them) the batch runs whole on the calling thread, as before:
/// splitting adds speed to an idle core, never a queue.
/// </summary>
public static class BatchSplit
{
    /// <summary>Texts per part: a smaller batch runs on the calling thread.</summary>
    public const int MinTextsPerPart = 16;

    /// <summary>run(texts), computed part by part on several cores when the batch is large enough; results in order.</summary>
    public static TResult[] AcrossCores<TResult>(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, CancellationToken, TResult[]> run,
        CancellationToken cancellationToken = default)
    {
        int parts = Math.Min(Environment.ProcessorCount, texts.Count / MinTextsPerPart);
        if (parts < 2) return run(texts, cancellationToken);
        var all = texts as string[] ?? [.. texts];
        var results = new TResult[all.Length];
        bool ran = GemmWorkers.TryRun(part =>
        {
            int start = (int)((long)all.Length * part / parts), end = (int)((long)all.Length * (part + 1) / parts);
            run(new ArraySegment<string>(all, start, end - start), cancellationToken).CopyTo(results, start);
        }, parts);
        return ran ? results : run(texts, cancellationToken);
    }
}
