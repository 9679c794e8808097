namespace ServeNet.Core.Training;

/// <summary>One epoch of a training run: mean training loss, the selection metric and wall time.</summary>
/// <param name="Metric">The score early stopping selects on (dev, or a held-out slice of train), in [0, 1].</param>
/// <param name="Seconds">The whole epoch: training steps and the evaluation.</param>
/// <param name="TrainSeconds">The training steps alone (what training benchmarks compare).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double Metric, double Seconds, double LearningRate, double TrainSeconds);
