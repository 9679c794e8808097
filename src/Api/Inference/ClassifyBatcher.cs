using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;

namespace ServeNet.Api.Inference;

/// <summary>
/// Micro-batching for single-text classification by flat combining: every request puts its text on a
/// queue; whichever request finds no batch running becomes the combiner and classifies everything
/// waiting (its own text included) in passes of up to MaxMicroBatch texts, completing the others as
/// it goes. Alone, a request classifies its own text on its own thread (no hop, no wait); under
/// load, concurrent requests share passes through the network. Texts of one pass always go to the
/// same model instance, so a swap in the middle of a burst never mixes versions within a request.
/// </summary>
public sealed class ClassifyBatcher(IOptions<InferenceOptions> options)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly int _maxBatch = options.Value.MaxMicroBatch;
    private int _combining;

    private sealed record Pending(TextClassifier Model, string Text, TaskCompletionSource<ClassificationResult> Done);

    public Task<ClassificationResult> ClassifyAsync(TextClassifier model, string text)
    {
        var done = new TaskCompletionSource<ClassificationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue(new Pending(model, text, done));
        // Re-check after releasing: a text queued just before the release must not wait for the next request.
        while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _combining, 1, 0) == 0)
        {
            try
            {
                Drain();
            }
            finally
            {
                Volatile.Write(ref _combining, 0);
            }
        }
        return done.Task;
    }

    private void Drain()
    {
        var batch = new List<Pending>(_maxBatch);
        var texts = new List<string>(_maxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.TryPeek(out var next) && (batch.Count == 0 || next.Model == batch[0].Model)
                   && _queue.TryDequeue(out var item))
                batch.Add(item);
            if (batch.Count == 0) return;
            texts.Clear();
            foreach (var item in batch) texts.Add(item.Text);
            try
            {
                var results = batch[0].Model.Classify(texts);
                for (int i = 0; i < batch.Count; i++) batch[i].Done.SetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Done.TrySetException(e);
            }
        }
    }
}
