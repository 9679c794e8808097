namespace ServeNet.Core.Training;

/// <summary>Where a training run reports progress: a console progress bar, or nothing in tests.</summary>
public interface ITrainingProgress
{
    void Message(string text);
    void EpochStarted(int epoch, int steps);
    void StepFinished(int step, double meanLoss);
    void EpochFinished(EpochRecord record, bool best);

    public static ITrainingProgress Silent { get; } = new SilentProgress();

    private sealed class SilentProgress : ITrainingProgress
    {
        public void Message(string text) { }
        public void EpochStarted(int epoch, int steps) { }
        public void StepFinished(int step, double meanLoss) { }
        public void EpochFinished(EpochRecord record, bool best) { }
    }
}
