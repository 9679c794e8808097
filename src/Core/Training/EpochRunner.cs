using System.Diagnostics;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Training;

/// <summary>How many epochs, in what batches, and when to stop.</summary>
/// <param name="Patience">Stop after this many epochs without a better selection metric.</param>
/// <param name="Ema">Decay of the exponential moving average of weights that is evaluated and kept (0: off).</param>
/// <param name="KeepLast">Train every epoch and keep the last one's (averaged) weights; the selection metric is still recorded
/// each epoch (the curve, "best" still marks a new maximum) but chooses nothing and stops nothing.</param>
public sealed record EpochSettings(int Epochs, int BatchSize, int Patience, LearningRateSchedule Schedule, float Ema = 0f, bool KeepLast = false);

/// <summary>What a run gives back; the trainer's parameters hold the best epoch's weights.</summary>
/// <param name="BestMetric">The selection metric of <paramref name="BestEpoch"/>.</param>
/// <param name="SecondsToBest">Wall time from the start until the best epoch had been evaluated.</param>
public sealed record TrainingOutcome(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, double BestMetric, double SecondsToBest, double TotalSeconds);

/// <summary>
/// The epoch loop every model trains with: set the epoch's learning rate, shuffle, step through
/// mini-batches (updating the weight average), evaluate the averaged weights on the selection
/// set, keep a snapshot of the best epoch, stop early after <see cref="EpochSettings.Patience"/>
/// epochs without improvement, and finish with the best snapshot in place (with
/// <see cref="EpochSettings.KeepLast"/>: every epoch, and the last one's). Without a selection
/// metric (a refit on all the data for an epoch count chosen before) it trains exactly
/// <see cref="EpochSettings.Epochs"/> epochs and finishes with the last epoch's (averaged) weights.
/// </summary>
public sealed class EpochRunner<TBatch>(Trainer<TBatch> trainer, EpochSettings settings) where TBatch : struct, IBatch
{
    /// <summary>Called before each epoch (1-based), before the learning rate is set: e.g. to unfreeze embeddings.</summary>
    public Action<int>? BeforeEpoch { get; init; }

    /// <param name="shuffle">Orders the examples of each epoch.</param>
    /// <param name="evaluate">The selection metric of the current weights (higher is better); null: no selection, no early stop.</param>
    public TrainingOutcome Run(IBatchSource<TBatch> data, SeededRandom shuffle, Func<double>? evaluate, ITrainingProgress progress)
    {
        var parameters = trainer.Parameters;
        var optimizer = trainer.Optimizer;
        var snapshot = evaluate is null ? null : new ParameterSnapshot(parameters);
        var ema = settings.Ema > 0 ? new ExponentialMovingAverage(parameters, settings.Ema) : null;
        var order = Enumerable.Range(0, data.Count).ToArray();
        int steps = (data.Count + settings.BatchSize - 1) / settings.BatchSize;
        var epochs = new List<EpochRecord>();
        int bestEpoch = 0;
        double bestMetric = double.NegativeInfinity, secondsToBest = 0;
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            BeforeEpoch?.Invoke(epoch);
            optimizer.LearningRate = settings.Schedule.Rate(epoch - 1);
            shuffle.Shuffle(order.AsSpan());
            progress.EpochStarted(epoch, steps);
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                int first = step * settings.BatchSize;
                var batch = data.Build(order.AsSpan(first, Math.Min(settings.BatchSize, data.Count - first)));
                lossSum += trainer.Step(batch.Inputs, batch.Labels.Span, batch.Segments.Span);
                ema?.Update();
                progress.StepFinished(step + 1, lossSum / (step + 1));
            }

            double trainSeconds = epochClock.Elapsed.TotalSeconds;
            if (evaluate is null)
            {
                var fixedRecord = new EpochRecord(epoch, lossSum / steps, double.NaN, trainSeconds, optimizer.LearningRate, trainSeconds);
                epochs.Add(fixedRecord);
                progress.EpochFinished(fixedRecord, best: false);
                continue;
            }
            ema?.Swap(); // evaluate (and keep, if best) the averaged weights
            double metric = evaluate();
            var record = new EpochRecord(epoch, lossSum / steps, metric, epochClock.Elapsed.TotalSeconds, optimizer.LearningRate, trainSeconds);
            epochs.Add(record);
            bool improved = metric > bestMetric;
            if (improved)
            {
                bestMetric = metric;
                bestEpoch = epoch;
                secondsToBest = clock.Elapsed.TotalSeconds;
            }
            if (settings.KeepLast ? epoch == settings.Epochs : improved) snapshot!.Capture();
            ema?.Swap();
            progress.EpochFinished(record, improved);
            if (!settings.KeepLast && epoch - bestEpoch >= settings.Patience) break;
        }

        if (evaluate is null)
        {
            ema?.Swap(); // the averaged weights are the ones kept, as when selecting
            return new TrainingOutcome(epochs, epochs.Count, double.NaN, clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
        }
        snapshot!.Restore();
        return settings.KeepLast
            ? new TrainingOutcome(epochs, epochs.Count, epochs[^1].Metric, clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds)
            : new TrainingOutcome(epochs, bestEpoch, bestMetric, secondsToBest, clock.Elapsed.TotalSeconds);
    }
}
