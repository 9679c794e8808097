namespace ServeNet.Api.Models;

/// <summary>What a checkpoint file looked like when it was read: a different stamp means a new file to load.</summary>
public readonly record struct FileStamp(bool Exists, long Length, DateTime LastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(true, file.Length, file.LastWriteTimeUtc) : default;
    }
}
