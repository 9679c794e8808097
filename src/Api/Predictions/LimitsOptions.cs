using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Predictions;

/// <summary>Request size limits ("ServeNet:Limits"); beyond them a request is refused with 413.</summary>
public sealed class LimitsOptions
{
    public const string Section = "ServeNet:Limits";

    /// <summary>Characters (UTF-16 code units) per text.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>Texts per request.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Bytes of request body.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;
}
