using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Hosting;

/// <summary>Response compression ("ServeNet:Compression"): off by default.</summary>
public sealed class CompressionOptions
{
    public const string Section = "ServeNet:Compression";

    /// <summary>Compress large prediction answers with Brotli or gzip, whichever the client accepts (Brotli first).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Texts a prediction request must have for its answer to be compressed: smaller answers cost more CPU to compress
    /// than they save (a /classify answer is about 100 bytes per text).
    /// </summary>
    [Range(1, 100_000)]
    public int MinimumBatch { get; set; } = 16;
}
