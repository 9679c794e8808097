namespace ServeNet.Training.Reporting;

/// <summary>One epoch of a training run: mean training loss, the dev metric and wall time.</summary>
/// <param name="Seconds">The whole epoch: training steps and the dev evaluation.</param>
/// <param name="TrainSeconds">The training steps alone (what training benchmarks compare).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double DevMetric, double Seconds, double LearningRate, double TrainSeconds);
