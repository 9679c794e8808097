using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;
using ServeNet.Api.Observability;

namespace ServeNet.Api.Overload;

/// <summary>
/// Admits prediction work by its cost: a request takes as many permits as it has tokens from one
/// concurrency limiter (System.Threading.RateLimiting) of MaxTokensInFlight permits, waiting oldest
/// first in a queue of MaxTokensQueued; one that does not fit is answered 429 with Retry-After. So
/// ordinary requests (tens of tokens) pass at once while the permits are not all taken, and wait
/// their turn behind earlier requests when large ones hold them: time and memory in flight are
/// bounded whatever the traffic. With MaxTokensPerClient, a
/// client (remote address) first takes its tokens from its own limiter, without a queue.
/// Requests are admitted after their body is read and checked (the handler calls
/// <see cref="AdmitAsync"/>), so a slow upload never holds permits.
/// </summary>
public sealed class PredictionGate : IDisposable
{
    private readonly ConcurrencyLimiter _work;
    private readonly PartitionedRateLimiter<IPAddress>? _perClient;
    private readonly OverloadOptions _options;
    private readonly ApiMetrics _metrics;

    public PredictionGate(IOptions<OverloadOptions> options, ApiMetrics metrics)
    {
        _options = options.Value;
        _metrics = metrics;
        _work = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxTokensInFlight,
            QueueLimit = _options.MaxTokensQueued,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        int perClient = _options.MaxTokensPerClient;
        if (perClient > 0)
            _perClient = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetConcurrencyLimiter(address,
                _ => new ConcurrencyLimiterOptions { PermitLimit = perClient, QueueLimit = 0 }));
        metrics.ObserveWork(() =>
        {
            var statistics = _work.GetStatistics();
            return statistics is null ? (0, 0) : (_options.MaxTokensInFlight - statistics.CurrentAvailablePermits, statistics.CurrentQueuedCount);
        });
    }

    /// <summary>
    /// Waits for permits for <paramref name="tokens"/> tokens (at least one), or refuses at once with
    /// 429 when the queue (or the client's share) has no room. Throws OperationCanceledException when
    /// the request is aborted or timed out while waiting.
    /// </summary>
    public async ValueTask<Admission> AdmitAsync(HttpContext context, int tokens, CancellationToken cancellationToken)
    {
        int permits = Math.Max(1, tokens);
        RateLimitLease? client = null;
        if (_perClient is not null)
        {
            client = _perClient.AttemptAcquire(context.Connection.RemoteIpAddress ?? IPAddress.None, permits);
            if (!client.IsAcquired)
            {
                client.Dispose();
                _metrics.Rejected(ApiMetrics.RejectedPerClient);
                return new Admission(null, null, Problems.Overloaded(
                    $"This client already has {_options.MaxTokensPerClient:N0} tokens of predictions running or waiting, its limit "
                    + $"({OverloadOptions.Section}:{nameof(OverloadOptions.MaxTokensPerClient)}). Wait for your other requests to finish.",
                    _options.RetryAfterSeconds, context.Response));
            }
        }
        RateLimitLease work;
        try
        {
            work = await _work.AcquireAsync(permits, cancellationToken);
        }
        catch
        {
            client?.Dispose();
            throw;
        }
        if (!work.IsAcquired)
        {
            work.Dispose();
            client?.Dispose();
            _metrics.Rejected(ApiMetrics.RejectedOverload);
            return new Admission(null, null, Problems.Overloaded(
                $"The server is busy: {_options.MaxTokensInFlight:N0} tokens are being computed and the queue has no room for this "
                + $"request's {permits:N0} ({OverloadOptions.Section}:{nameof(OverloadOptions.MaxTokensQueued)}). Retry after the pause in Retry-After.",
                _options.RetryAfterSeconds, context.Response));
        }
        return new Admission(work, client, null);
    }

    public void Dispose()
    {
        _work.Dispose();
        _perClient?.Dispose();
    }
}

/// <summary>Permits held for one request until disposed, or the 429 that refused it.</summary>
public readonly struct Admission(RateLimitLease? work, RateLimitLease? client, ProblemHttpResult? refusal) : IDisposable
{
    /// <summary>429 problem details (with Retry-After) when the request was not admitted.</summary>
    public ProblemHttpResult? Refusal { get; } = refusal;

    public void Dispose()
    {
        work?.Dispose();
        client?.Dispose();
    }
}
