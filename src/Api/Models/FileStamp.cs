namespace ServeNet.Api.Models;

/// <summary>
/// What a checkpoint file looked like when it was read: a different stamp means a new file to load.
/// <see cref="Target"/> is the path with every symbolic link resolved, so swapping a link (the
/// Kubernetes ConfigMap and git-sync "..data" pattern) is a change even when the new file has the
/// same size and time; the watcher also compares content hashes (<see cref="ContentHash"/>).
/// </summary>
public readonly record struct FileStamp(bool Exists, string? Target, long Length, DateTime LastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        string? target = ResolvedPath.Of(path);
        if (target is null) return default;
        var file = new FileInfo(target);
        return file.Exists ? new FileStamp(true, target, file.Length, file.LastWriteTimeUtc) : default;
    }
}
