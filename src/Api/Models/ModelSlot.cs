using System.Diagnostics;
using System.Text.Json;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Models;

namespace ServeNet.Api.Models;

/// <summary>
/// One served model (sentiment or NER): the checkpoint it comes from, the model serving now and the
/// outcome of the last load. Requests read <see cref="ModelSlot{T}.Current"/> without locks; a reload
/// builds and warms up a whole new model off to the side and swaps the reference in one write.
/// </summary>
public abstract class ModelSlot(string name, string endpoint, string path, long maxFileBytes)
{
    private ModelLoadFailure? _lastFailure;

    /// <summary>"sentiment" or "ner": how /models, logs and metrics name the slot.</summary>
    public string Name { get; } = name;

    /// <summary>The route that serves it.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>Absolute path of the checkpoint file.</summary>
    public string Path { get; } = path;

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Largest checkpoint file read; a larger one is refused by its size alone.</summary>
    public long MaxFileBytes { get; } = maxFileBytes;

    /// <summary>The model answering requests now, or null when none has loaded yet.</summary>
    public abstract ServedModel? Serving { get; }

    /// <summary>The last load attempt's failure, or null when it succeeded (or none finished yet).</summary>
    public ModelLoadFailure? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Stamp of the file at the last load attempt: the watcher reloads when the file's stamp differs.</summary>
    public FileStamp? LastAttempt { get; internal set; }

    /// <summary>
    /// SHA-256 of the bytes of the last load attempt (null when unknown, e.g. the file was missing or
    /// over the size limit): the watcher reloads when the content differs though the stamp does not.
    /// </summary>
    public string? LastAttemptContent { get; internal set; }

    /// <summary>One load at a time per slot (watcher and admin call); requests never wait on it.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    public bool IsReady => Serving is not null;

    /// <summary>Why no model is serving: "sentiment.ckpt: &lt;reason&gt;".</summary>
    public string NotLoadedReason => $"{FileName}: {LastFailure?.Reason ?? "still loading"}";

    /// <summary>Reads the checkpoint and runs the warm-up; throws when either fails. Does not swap.</summary>
    internal abstract ServedModel LoadCandidate();

    /// <summary>Serves <paramref name="model"/> from now on; returns the model it replaces.</summary>
    internal abstract ServedModel? Swap(ServedModel model);

    internal void RecordFailure(ModelLoadFailure? failure) => Volatile.Write(ref _lastFailure, failure);
}

/// <param name="load">Builds the model from a read checkpoint (throws <see cref="CheckpointException"/> on bad metadata).</param>
/// <param name="maxFileBytes">Largest checkpoint file read; a larger one is refused by its size alone.</param>
/// <param name="describe">The model's identity.</param>
/// <param name="warmUp">Answers a request and checks the answer (throws <see cref="ModelValidationException"/>).</param>
public sealed class ModelSlot<T>(string name, string endpoint, string path, long maxFileBytes, Func<Checkpoint, T> load,
    Func<T, ModelInfo> describe, Action<T> warmUp)
    : ModelSlot(name, endpoint, path, maxFileBytes) where T : class
{
    private ServedModel<T>? _current;

    /// <summary>Read once per request: every text of a request is answered by the same model.</summary>
    public ServedModel<T>? Current => Volatile.Read(ref _current);

    public override ServedModel? Serving => Current;

    internal override ServedModel LoadCandidate()
    {
        long started = Stopwatch.GetTimestamp();
        var model = load(Checkpoint.Read(Path, MaxFileBytes));
        warmUp(model);
        var info = describe(model);
        return new ServedModel<T>(model, info, JsonSerializer.SerializeToElement(info.Metrics), DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(started));
    }

    internal override ServedModel? Swap(ServedModel model) => Interlocked.Exchange(ref _current, (ServedModel<T>)model);
}
