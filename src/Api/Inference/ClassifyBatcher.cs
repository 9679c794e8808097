using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServeNet.Core.Models;

namespace ServeNet.Api.Inference;

/// <summary>
/// Micro-batching for single-text classification: concurrent requests put their text on a queue,
/// one consumer drains whatever is waiting (never waiting for more) and classifies it in one pass,
/// then completes each request. Texts of one pass always go to the same model instance, so a swap
/// in the middle of a burst never mixes versions within a request.
/// </summary>
public sealed class ClassifyBatcher : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxBatch;

    public ClassifyBatcher(IOptions<InferenceOptions> options) => _maxBatch = options.Value.MaxMicroBatch;

    private sealed record Pending(TextClassifier Model, string Text, TaskCompletionSource<ClassificationResult> Done);

    public Task<ClassificationResult> ClassifyAsync(TextClassifier model, string text)
    {
        var done = new TaskCompletionSource<ClassificationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(model, text, done))) done.SetException(new InvalidOperationException("The classification queue is closed."));
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_maxBatch);
        var texts = new List<string>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryPeek(out var next) && (batch.Count == 0 || next.Model == batch[0].Model)
                   && reader.TryRead(out var item))
                batch.Add(item);
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
