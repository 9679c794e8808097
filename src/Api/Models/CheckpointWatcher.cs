using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ServeNet.Api.Models;

/// <summary>
/// Loads every checkpoint at start-up, in the background (the process is live at once and ready
/// when the models are), then reloads a checkpoint whenever its file changes: file-system events
/// for speed, and polling in case events are lost (network or container volumes) or never come (a
/// swapped symbolic link: the event is about the link, not the file). A poll compares the path with
/// its links resolved, size and write time (<see cref="FileStamp"/>), and on some polls the content's
/// SHA-256: hashing is spaced so that it takes at most 1% of the time.
/// </summary>
public sealed partial class CheckpointWatcher(ModelRegistry registry, ModelLoader loader, IOptions<ModelsOptions> options,
    ILogger<CheckpointWatcher> logger) : BackgroundService
{
    // A content check costs a read and a hash of every file; the next waits 100 times as long as the last took.
    private const int ContentCheckSpacing = 100;

    private long _nextContentCheck;

    // One pending signal is enough: every check looks at all files.
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        LogStarting(registry.Directory, string.Join(", ", registry.All.Select(s => s.FileName)));
        try
        {
            foreach (var slot in registry.All) await loader.LoadAsync(slot, "start-up", stoppingToken);
        }
        finally
        {
            registry.MarkStartupLoadCompleted();
        }
        if (registry.IsReady) LogReady(string.Join(", ", registry.All.Select(s => $"{s.Name}={s.Serving!.Info.Version}")));
        else LogNotReady(string.Join("; ", registry.All.Where(s => !s.IsReady).Select(s => $"{s.Name}: {s.NotLoadedReason}")));
        if (!settings.Watch) return;

        using var watcher = Watch(registry.Directory);
        var poll = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds);
        var settle = TimeSpan.FromMilliseconds(settings.SettleMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await WaitForSignal(poll, stoppingToken))
                {
                    await Task.Delay(settle, stoppingToken);
                    while (_signals.Reader.TryRead(out _)) { }
                }
                bool hashing = Stopwatch.GetTimestamp() >= _nextContentCheck;
                long hashTime = 0;
                foreach (var slot in registry.All)
                {
                    var stamp = FileStamp.Of(slot.Path);
                    if (stamp != slot.LastAttempt)
                    {
                        await loader.LoadAsync(slot, "file changed", stoppingToken);
                        continue;
                    }
                    if (!hashing || !stamp.Exists || stamp.Length > slot.MaxFileBytes) continue;
                    long started = Stopwatch.GetTimestamp();
                    string? content = ContentHash.Of(stamp.Target!);
                    hashTime += Stopwatch.GetTimestamp() - started;
                    if (content is not null && content != slot.LastAttemptContent) await loader.LoadAsync(slot, "content changed", stoppingToken);
                }
                if (hashing) _nextContentCheck = Stopwatch.GetTimestamp() + ContentCheckSpacing * hashTime;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogWatchFailed(e);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    // True when a file event arrived, false when the poll interval passed without one.
    private async Task<bool> WaitForSignal(TimeSpan poll, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(poll);
        try
        {
            return await _signals.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private FileSystemWatcher? Watch(string directory)
    {
        if (!Directory.Exists(directory))
        {
            LogPollingOnly(directory);
            return null;
        }
        // Any entry of the folder: a checkpoint may be a link into a folder whose own link is swapped ("..data").
        void OnChange(object? sender, FileSystemEventArgs e) => _signals.Writer.TryWrite(true);
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += (sender, e) => OnChange(sender, e);
            watcher.Error += (_, e) => LogWatcherError(e.GetException());
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
        {
            // E.g. the inotify instance limit is reached: polling alone still picks up every change.
            watcher?.Dispose();
            LogWatcherError(e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading models from {Directory}: {Files}")]
    private partial void LogStarting(string directory, string files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: every model loaded and answered its warm-up ({Versions})")]
    private partial void LogReady(string versions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not ready: {Missing}. /health/ready answers 503; the file is loaded as soon as a valid one appears")]
    private partial void LogNotReady(string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models folder {Directory} does not exist (yet): watching by polling only")]
    private partial void LogPollingOnly(string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watcher failed; polling continues")]
    private partial void LogWatcherError(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the checkpoints for changes failed; retrying")]
    private partial void LogWatchFailed(Exception exception);
}
