using System.Security.Cryptography;

namespace ServeNet.Api.Models;

/// <summary>SHA-256 of a file's bytes, lowercase hex, as ModelInfo.Sha256 gives a loaded checkpoint's.</summary>
public static class ContentHash
{
    /// <returns>Null when the file cannot be read (it is being replaced, or gone).</returns>
    public static string? Of(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(SHA256.HashData(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
