using System.ComponentModel.DataAnnotations;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Overload;

/// <summary>
/// How much prediction work runs at once, how much may wait, and for how long a request may take
/// ("ServeNet:Overload"). Work is counted in tokens, the cost <see cref="LimitsOptions"/>
/// bounds per request: a request takes as many permits as it has tokens. Beyond the queue: 429; beyond
/// the time limit: 504. Defaults measured on 2 cores (docs/api.md).
/// </summary>
public sealed class OverloadOptions
{
    public const string Section = "ServeNet:Overload";

    /// <summary>
    /// Tokens being computed at once, over all prediction requests (the concurrency limiter's permits).
    /// /ner holds ~10 KB per token while it computes (docs/api.md): 20,000 tokens are ~200 MB; on 2 cores a
    /// second request that large computed alongside would not finish any sooner.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxTokensInFlight { get; set; } = 20_000;

    /// <summary>Tokens of the requests waiting for permits (the limiter's queue, oldest first); a request that does not fit gets 429.</summary>
    [Range(0, int.MaxValue)]
    public int MaxTokensQueued { get; set; } = 100_000;

    /// <summary>
    /// Tokens one client (remote IP address) may have computing or waiting at once; beyond, 429 at once.
    /// 0 (the default): no per-client limit. Behind a reverse proxy every client has the proxy's address.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxTokensPerClient { get; set; }

    /// <summary>Seconds a 429 asks the client to wait (Retry-After).</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Seconds a request may take from its headers to its answer (body, queue and computing included);
    /// beyond, 504. 0: no limit. ASP.NET Core's request-timeouts middleware.
    /// </summary>
    [Range(0, 3600)]
    public double RequestTimeoutSeconds { get; set; } = 10;
}
