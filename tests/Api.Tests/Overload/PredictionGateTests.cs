using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Prometheus;
using ServeNet.Api.Observability;
using ServeNet.Api.Overload;

namespace ServeNet.Api.Tests.Overload;

/// <summary>Admission by tokens, without a host: permits, the queue, 429 and the per-client share.</summary>
public sealed class PredictionGateTests
{
    private static PredictionGate Gate(int inFlight, int queued, int perClient = 0) =>
        new(Options.Create(new OverloadOptions { MaxTokensInFlight = inFlight, MaxTokensQueued = queued, MaxTokensPerClient = perClient, RetryAfterSeconds = 3 }),
            new ApiMetrics(Metrics.NewCustomRegistry()));

    private static DefaultHttpContext Client(string address) => new() { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    [Fact]
    public async Task PredictionGate_WithinThePermits_AdmitsAtOnce()
    {
        using var gate = Gate(inFlight: 100, queued: 0);

        using var first = await gate.AdmitAsync(Client("10.0.0.1"), 60, CancellationToken.None);
        using var second = await gate.AdmitAsync(Client("10.0.0.1"), 40, CancellationToken.None);

        Assert.Null(first.Refusal);
        Assert.Null(second.Refusal);
    }

    [Fact]
    public async Task PredictionGate_NoRoomInTheQueue_Refuses429WithRetryAfter()
    {
        using var gate = Gate(inFlight: 100, queued: 50);
        using var running = await gate.AdmitAsync(Client("10.0.0.1"), 100, CancellationToken.None);
        var context = Client("10.0.0.2");

        var waiting = gate.AdmitAsync(Client("10.0.0.3"), 50, CancellationToken.None);
        using var refused = await gate.AdmitAsync(context, 1, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Refusal!.StatusCode);
        Assert.Contains("ServeNet:Overload:MaxTokensQueued", refused.Refusal.ProblemDetails.Detail);
        Assert.Equal("3", context.Response.Headers.RetryAfter.ToString());
        running.Dispose();
        using var admitted = await waiting;
        Assert.Null(admitted.Refusal);
    }

    [Fact]
    public async Task PredictionGate_WaitingRequestCancelled_ThrowsAndFreesItsPlace()
    {
        using var gate = Gate(inFlight: 100, queued: 100);
        using var running = await gate.AdmitAsync(Client("10.0.0.1"), 100, CancellationToken.None);
        using var timeLimit = new CancellationTokenSource();

        var waiting = gate.AdmitAsync(Client("10.0.0.2"), 100, timeLimit.Token);
        timeLimit.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        var next = gate.AdmitAsync(Client("10.0.0.3"), 100, CancellationToken.None);
        Assert.False(next.IsCompleted); // queued, not refused: the cancelled request left the queue
        running.Dispose();
        using var admitted = await next;
        Assert.Null(admitted.Refusal);
    }

    [Fact]
    public async Task PredictionGate_ClientOverItsShare_IsRefusedWhileOthersAreAdmitted()
    {
        using var gate = Gate(inFlight: 1_000, queued: 1_000, perClient: 100);
        using var busy = await gate.AdmitAsync(Client("10.0.0.1"), 80, CancellationToken.None);
        var sameClient = Client("10.0.0.1");

        using var refused = await gate.AdmitAsync(sameClient, 30, CancellationToken.None);
        using var other = await gate.AdmitAsync(Client("10.0.0.2"), 30, CancellationToken.None);

        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Refusal!.StatusCode);
        Assert.Contains("ServeNet:Overload:MaxTokensPerClient", refused.Refusal.ProblemDetails.Detail);
        Assert.Null(other.Refusal);
    }
}
