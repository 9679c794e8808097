namespace ServeNet.Api.Benchmark;

/// <summary>Aids for load tests ("ServeNet:Benchmark"); all off in production.</summary>
public sealed class BenchmarkOptions
{
    public const string Section = "ServeNet:Benchmark";

    /// <summary>Map POST /noop (<see cref="NoopApi"/>): bench/ServeNet.Bench's http benchmark turns it on.</summary>
    public bool NoopEndpoint { get; set; }
}
