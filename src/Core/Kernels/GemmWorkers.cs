namespace ServeNet.Core.Kernels;

/// <summary>
/// Long-lived worker threads for splitting one large product (or a large batch of texts, <see cref="Models.BatchSplit"/>)
/// across cores. Parallel.For may run every part on the calling thread when the pool is slow to respond, which halves
/// 2-thread speed at random; dedicated workers woken per product do not. One job at a time owns the workers: a
/// concurrent caller (another request on a server), or a product inside a job, runs on its own thread instead of queueing.
/// </summary>
internal static class GemmWorkers
{
    private static readonly Lock s_gate = new();
    private static readonly List<Worker> s_workers = [];
    private static Action<int>? s_job;
    private static int s_remaining;
    private static Exception? s_failure;

    /// <summary>
    /// Runs job(0..parts-1), part 0 on the calling thread; false if the workers are busy (or this thread is running
    /// a job already: the lock is re-entrant, the workers' state is not). Returns only when every part has ended;
    /// a part's exception is then thrown as it was (a cancellation stays an OperationCanceledException).
    /// </summary>
    public static bool TryRun(Action<int> job, int parts)
    {
        if (s_gate.IsHeldByCurrentThread || !s_gate.TryEnter()) return false;
        try
        {
            while (s_workers.Count < parts - 1) s_workers.Add(new Worker(s_workers.Count + 1));
            s_job = job;
            s_failure = null;
            Volatile.Write(ref s_remaining, parts - 1);
            for (int i = 1; i < parts; i++) s_workers[i - 1].Start();
            Exception? own = null;
            try
            {
                job(0);
            }
            catch (Exception e)
            {
                own = e; // the workers still run this job: wait for them before the next one may start
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_remaining) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            s_job = null;
            if ((own ?? s_failure) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            s_gate.Exit();
        }
    }

    private sealed class Worker
    {
        // Spinning this long after a job before sleeping keeps back-to-back products (one per
        // layer) from paying a thread wake-up each, which costs as much as a small product.
        private static readonly long s_spinTicks = System.Diagnostics.Stopwatch.Frequency / 5_000; // 200 µs

        private readonly SemaphoreSlim _wake = new(0);
        private readonly int _part;
        private int _requested, _sleeping;

        public Worker(int part)
        {
            _part = part;
            new Thread(Loop) { IsBackground = true, Name = $"ServeNet GEMM worker {part}" }.Start();
        }

        public void Start()
        {
            Interlocked.Increment(ref _requested);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Release();
        }

        private void Loop()
        {
            int done = 0;
            while (true)
            {
                WaitForRequest(done);
                done++;
                try
                {
                    s_job!(_part);
                }
                catch (Exception e)
                {
                    s_failure = e;
                }
                finally
                {
                    Interlocked.Decrement(ref s_remaining);
                }
            }
        }

        private void WaitForRequest(int done)
        {
            long spinUntil = System.Diagnostics.Stopwatch.GetTimestamp() + s_spinTicks;
            while (Volatile.Read(ref _requested) == done)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                Interlocked.Exchange(ref _sleeping, 1);
                // Re-check after announcing sleep: Start() either sees _sleeping or we see its request.
                if (Volatile.Read(ref _requested) == done) _wake.Wait();
                Interlocked.Exchange(ref _sleeping, 0);
            }
        }
    }
}
