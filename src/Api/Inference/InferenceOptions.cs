using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Inference;

/// <summary>How predictions are computed ("ServeNet:Inference").</summary>
public sealed class InferenceOptions
{
    public const string Section = "ServeNet:Inference";

    /// <summary>
    /// Queue single-text /classify requests that arrive together and answer them with one batched
    /// pass (<see cref="ClassifyBatcher"/>). Off by default: on the 2-core machine it was measured on,
    /// it did not pay (docs/benchmarks.md).
    /// </summary>
    public bool MicroBatching { get; set; }

    /// <summary>Most texts one batched pass takes.</summary>
    [Range(1, 4096)]
    public int MaxMicroBatch { get; set; } = 64;
}
