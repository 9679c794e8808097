using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Models;

/// <summary>
/// A model version derived from its weights alone (SHA-256 over names and values), so the same
/// seed and data give the same version while training times and paths in the metadata may differ.
/// </summary>
public static class WeightsDigest
{
    public static string Compute(IEnumerable<Parameter> parameters)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parameters)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(p.Name));
            hash.AppendData(MemoryMarshal.AsBytes(p.Value.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>"&lt;name&gt;-&lt;first 12 hex digits&gt;", e.g. "sentiment-3f9a0c41d2e7".</summary>
    public static string Version(string name, string digest) => $"{name}-{digest[..12]}";
}
