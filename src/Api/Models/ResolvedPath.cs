namespace ServeNet.Api.Models;

/// <summary>
/// A path with every symbolic link resolved, in any component (what realpath(3) gives): for
/// models/sentiment.ckpt → ..data/sentiment.ckpt with ..data → ..2026_11_30_10_00, the file inside
/// the dated folder. Resolving only the file's own link would stop at "..data/sentiment.ckpt",
/// which never changes when the "..data" link is swapped.
/// </summary>
public static class ResolvedPath
{
    // As Linux's limit on links followed in one lookup.
    private const int MaxLinks = 40;

    /// <summary>The resolved path, or null when a component does not exist (or links loop).</summary>
    public static string? Of(string path)
    {
        string remaining = Path.GetFullPath(path);
        string resolved = Path.GetPathRoot(remaining)!;
        var parts = new Queue<string>(remaining[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        int links = 0;
        while (parts.TryDequeue(out string? part))
        {
            string candidate = Path.Combine(resolved, part);
            FileSystemInfo entry = new FileInfo(candidate);
            if (!entry.Exists && !Directory.Exists(candidate)) return null;
            if (entry.LinkTarget is not { } link)
            {
                resolved = candidate;
                continue;
            }
            if (++links > MaxLinks) return null;
            // A relative link is relative to the folder that holds it; the link's own components are resolved in turn.
            string target = Path.GetFullPath(Path.IsPathRooted(link) ? link : Path.Combine(resolved, link));
            resolved = Path.GetPathRoot(target)!;
            parts = new Queue<string>(target[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(parts));
        }
        return resolved;
    }
}
