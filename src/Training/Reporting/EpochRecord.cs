namespace ServeNet.Training.Reporting;

/// <summary>One epoch of a training run: mean training loss, the dev metric and wall time.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double DevMetric, double Seconds, double LearningRate);
