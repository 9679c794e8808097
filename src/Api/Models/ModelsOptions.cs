using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Models;

/// <summary>Where the checkpoints are and how changes to them are picked up ("ServeNet:Models").</summary>
public sealed class ModelsOptions
{
    public const string Section = "ServeNet:Models";

    /// <summary>
    /// Folder of the checkpoints. A relative path is tried from the current directory, then from each
    /// folder above the application's, so `dotnet run --project src/Api` finds the repository's models/.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "models";

    [Required, RegularExpression(@"^[^/\\]+$", ErrorMessage = "A file name, not a path.")]
    public string SentimentFile { get; set; } = "sentiment.ckpt";

    [Required, RegularExpression(@"^[^/\\]+$", ErrorMessage = "A file name, not a path.")]
    public string NerFile { get; set; } = "ner.ckpt";

    /// <summary>Reload a checkpoint when its file changes (file-system events, plus polling as a fallback).</summary>
    public bool Watch { get; set; } = true;

    /// <summary>
    /// How often the files are compared with what was loaded, in case file-system events are lost
    /// (mounted volumes): the path with its links resolved, size and time on every poll, and the
    /// content's SHA-256 on the polls that keep hashing under 1% of the time.
    /// </summary>
    [Range(50, 3_600_000)]
    public int PollIntervalMilliseconds { get; set; } = 2000;

    /// <summary>
    /// Largest checkpoint file loaded, in bytes; a larger file is refused by its size, before a byte
    /// of it is read (the shipped checkpoints are about 7 MB).
    /// </summary>
    [Range(1_024, long.MaxValue)]
    public long MaxCheckpointBytes { get; set; } = 256L << 20;

    /// <summary>Quiet time after a file event before loading, so a file being copied is read once, whole.</summary>
    [Range(0, 60_000)]
    public int SettleMilliseconds { get; set; } = 300;

    /// <summary>
    /// Key required in the X-Admin-Key header of POST /models/reload. Empty: the call is only
    /// accepted from the local machine (loopback).
    /// </summary>
    public string? AdminKey { get; set; }
}
