using ServeNet.Api.Observability;
using ServeNet.Core.Checkpoints;

namespace ServeNet.Api.Models;

/// <summary>
/// Loads a slot's checkpoint in the background, warms the new model up and swaps it in; on any
/// failure the model already serving (if any) stays, and the failure is logged and recorded.
/// </summary>
public sealed partial class ModelLoader(ApiMetrics metrics, ILogger<ModelLoader> logger)
{
    /// <summary>Returns whether a new model now serves.</summary>
    public async Task<bool> LoadAsync(ModelSlot slot, string trigger, CancellationToken cancellationToken)
    {
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            var stamp = FileStamp.Of(slot.Path);
            slot.LastAttempt = stamp;
            slot.LastAttemptContent = null;
            try
            {
                if (!stamp.Exists) throw new FileNotFoundException("file not found", slot.Path);
                var candidate = await Task.Run(slot.LoadCandidate, cancellationToken);
                slot.LastAttemptContent = candidate.Info.Sha256;
                var previous = slot.Swap(candidate);
                slot.RecordFailure(null);
                metrics.ModelSwapped(slot.Name, previous?.Info, candidate.Info);
                LogLoaded(slot.Name, candidate.Info.Name, candidate.Info.Version, slot.Path, candidate.Info.Sha256,
                    candidate.LoadTime.TotalMilliseconds, trigger, previous?.Info.Version ?? "none");
                ReturnMemory();
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The content refused, so that polling does not retry the same bytes (a file over the size limit is not read).
                if (stamp.Exists && stamp.Length <= slot.MaxFileBytes) slot.LastAttemptContent = ContentHash.Of(slot.Path);
                string reason = Reason(e);
                slot.RecordFailure(new ModelLoadFailure(slot.FileName, reason, DateTimeOffset.UtcNow));
                metrics.LoadFailed(slot.Name);
                string consequence = slot.Serving is { } serving
                    ? $"version {serving.Info.Version} keeps serving"
                    : $"{slot.Endpoint} answers 503 until a valid file is loaded";
                // A bad file is an expected failure with a complete explanation; anything else gets its stack.
                if (e is CheckpointException or ModelValidationException or FileNotFoundException)
                    LogLoadFailed(slot.Name, slot.Path, reason, trigger, consequence);
                else
                    LogLoadCrashed(e, slot.Name, slot.Path, reason, trigger, consequence);
                return false;
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>
    /// Loading leaves garbage the GC would otherwise keep resident: the checkpoint's bytes and the
    /// tagger's projections in float before they are stored in half precision, and on a reload the
    /// replaced model once the requests that read it have finished (every reload added ~50 MB of
    /// resident memory for good). A second later (requests take milliseconds), one aggressive
    /// collection compacts and returns the memory to the system. Loads are rare; the pause is tens of
    /// milliseconds.
    /// </summary>
    private static void ReturnMemory() =>
        _ = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(
            _ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), TaskScheduler.Default);

    /// <summary>The reason without the file path (which /models and the log give separately).</summary>
    public static string Reason(Exception e) => e switch
    {
        CheckpointException c when c.Message.StartsWith($"Checkpoint '{c.Path}': ", StringComparison.Ordinal)
            => c.Message[$"Checkpoint '{c.Path}': ".Length..],
        FileNotFoundException => "file not found",
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Model {Task} now serves {ModelName} version {ModelVersion} from {File} (SHA-256 {Sha256}), loaded and warmed up in {LoadMilliseconds:0.0} ms ({Trigger}); replaced {PreviousVersion}")]
    private partial void LogLoaded(string task, string modelName, string modelVersion, string file, string sha256, double loadMilliseconds, string trigger, string previousVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Task} not loaded from {File}: {Reason} ({Trigger}); {Consequence}")]
    private partial void LogLoadFailed(string task, string file, string reason, string trigger, string consequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Task} not loaded from {File}: {Reason} ({Trigger}); {Consequence}")]
    private partial void LogLoadCrashed(Exception exception, string task, string file, string reason, string trigger, string consequence);
}
