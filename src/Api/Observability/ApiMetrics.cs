using Prometheus;
using ServeNet.Core.Models;

namespace ServeNet.Api.Observability;

/// <summary>
/// The service's own Prometheus metrics; request counts and latencies per endpoint come from
/// prometheus-net's UseHttpMetrics. Children are resolved once so the hot path does no label lookups.
/// </summary>
public sealed class ApiMetrics
{
    /// <summary>The values of the "reason" label of servenet_requests_rejected_total.</summary>
    public const string RejectedOverload = "overload", RejectedPerClient = "per-client";

    private readonly CollectorRegistry _registry;
    private readonly Gauge _modelInfo;
    private readonly Counter _loads;
    private readonly Counter _loadFailures;
    private readonly Histogram.Child _sentimentSeconds, _nerSeconds, _sentimentTexts, _nerTexts;
    private readonly Counter.Child _rejectedOverload, _rejectedPerClient;
    private readonly Gauge _tokensInFlight, _tokensQueued;

    public ApiMetrics(CollectorRegistry registry)
    {
        _registry = registry;
        var metrics = Metrics.WithCustomRegistry(registry);
        var inferenceSeconds = metrics.CreateHistogram(
            "servenet_inference_seconds", "Time spent in the model per request (all texts of the request), in seconds.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.00002, 2, 18) });
        var textsPerRequest = metrics.CreateHistogram(
            "servenet_texts_per_request", "Texts in one prediction request.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(1, 2, 9) });
        _modelInfo = metrics.CreateGauge(
            "servenet_model_info", "1 for the model version each task serves now.",
            new GaugeConfiguration { LabelNames = ["model", "name", "version"] });
        _loads = metrics.CreateCounter(
            "servenet_model_loads_total", "Checkpoints loaded, warmed up and swapped in.",
            new CounterConfiguration { LabelNames = ["model"] });
        _loadFailures = metrics.CreateCounter(
            "servenet_model_load_failures_total", "Checkpoints that failed to load or to answer their warm-up.",
            new CounterConfiguration { LabelNames = ["model"] });
        var rejected = metrics.CreateCounter(
            "servenet_requests_rejected_total", "Prediction requests answered 429: the queue was full (overload) or the client was over its share (per-client).",
            new CounterConfiguration { LabelNames = ["reason"] });
        _rejectedOverload = rejected.WithLabels(RejectedOverload);
        _rejectedPerClient = rejected.WithLabels(RejectedPerClient);
        _tokensInFlight = metrics.CreateGauge("servenet_tokens_in_flight", "Tokens of the prediction requests being computed now.");
        _tokensQueued = metrics.CreateGauge("servenet_tokens_queued", "Tokens of the prediction requests waiting for permits now.");
        _sentimentSeconds = inferenceSeconds.WithLabels("sentiment");
        _nerSeconds = inferenceSeconds.WithLabels("ner");
        _sentimentTexts = textsPerRequest.WithLabels("sentiment");
        _nerTexts = textsPerRequest.WithLabels("ner");
    }

    public void Classified(int texts, TimeSpan elapsed)
    {
        _sentimentTexts.Observe(texts);
        _sentimentSeconds.Observe(elapsed.TotalSeconds);
    }

    public void Tagged(int texts, TimeSpan elapsed)
    {
        _nerTexts.Observe(texts);
        _nerSeconds.Observe(elapsed.TotalSeconds);
    }

    public void ModelSwapped(string task, ModelInfo? previous, ModelInfo current)
    {
        if (previous is not null) _modelInfo.RemoveLabelled(task, previous.Name, previous.Version);
        _modelInfo.WithLabels(task, current.Name, current.Version).Set(1);
        _loads.WithLabels(task).Inc();
    }

    public void LoadFailed(string task) => _loadFailures.WithLabels(task).Inc();

    /// <param name="reason"><see cref="RejectedOverload"/> or <see cref="RejectedPerClient"/>.</param>
    public void Rejected(string reason) => (reason == RejectedPerClient ? _rejectedPerClient : _rejectedOverload).Inc();

    /// <summary>Reads the tokens in flight and queued when /metrics is scraped (not on the request path).</summary>
    public void ObserveWork(Func<(long InFlight, long Queued)> read) =>
        _registry.AddBeforeCollectCallback(() =>
        {
            var (inFlight, queued) = read();
            _tokensInFlight.Set(inFlight);
            _tokensQueued.Set(queued);
        });
}
