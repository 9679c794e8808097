using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Training;

namespace ServeNet.Core.Tests.Training;

public class EpochRunnerTests
{
    // XOR as four dense examples, one batch source for the runner.
    private sealed class XorExamples : IBatchSource<DenseBatch>
    {
        private static readonly float[] Inputs = [0, 0, 0, 1, 1, 0, 1, 1];
        private static readonly int[] Targets = [0, 1, 1, 0];
        private readonly float[] _values = new float[8];
        private readonly int[] _labels = new int[4];

        public int Count => 4;
        public int Batches { get; private set; }

        public TrainingBatch<DenseBatch> Build(ReadOnlySpan<int> examples)
        {
            Batches++;
            for (int i = 0; i < examples.Length; i++)
            {
                Inputs.AsSpan(examples[i] * 2, 2).CopyTo(_values.AsSpan(i * 2));
                _labels[i] = Targets[examples[i]];
            }
            return new(new DenseBatch(_values.AsMemory(0, examples.Length * 2), examples.Length), _labels.AsMemory(0, examples.Length), default);
        }
    }

    private static Trainer<DenseBatch> XorTrainer(ulong seed)
    {
        var model = new Classifier<DenseBatch>(new DenseInput("x", 2), [new Dense("hidden", 2, 8, Activation.Tanh), new Dense("out", 8, 2)]);
        model.Initialize(new SeededRandom(seed));
        return new Trainer<DenseBatch>(model, new Adam(0.05f), new SeededRandom(seed + 1));
    }

    private static EpochSettings Settings(int epochs, int patience, float ema = 0f) =>
        new(epochs, BatchSize: 2, patience, new LearningRateSchedule.Constant(0.05f), ema);

    [Fact]
    public void Run_NoBetterMetricForPatienceEpochs_StopsAndKeepsTheBestEpochsWeights()
    {
        var trainer = XorTrainer(1);
        double[] metrics = [0.5, 0.9, 0.6, 0.7, 0.8, 0.95];
        float[]? weightsAtBest = null;
        int evaluations = 0;
        var outcome = new EpochRunner<DenseBatch>(trainer, Settings(epochs: 6, patience: 3)).Run(new XorExamples(), new SeededRandom(9), () =>
        {
            double metric = metrics[evaluations++];
            if (metric == 0.9) weightsAtBest = (float[])trainer.Model.Parameters[0].Value.Clone();
            return metric;
        }, ITrainingProgress.Silent);

        Assert.Equal(5, evaluations); // epochs 3, 4, 5 without a better metric than epoch 2's
        Assert.Equal(2, outcome.BestEpoch);
        Assert.Equal(0.9, outcome.BestMetric);
        Assert.Equal(5, outcome.Epochs.Count);
        Assert.Equal(weightsAtBest, trainer.Model.Parameters[0].Value);
        Assert.All(outcome.Epochs, e => Assert.True(e.TrainLoss > 0 && e.TrainSeconds <= e.Seconds));
    }

    [Fact]
    public void Run_KeepLast_TrainsEveryEpochAndKeepsTheLastEpochsWeightsWhateverTheMetric()
    {
        var trainer = XorTrainer(1);
        double[] metrics = [0.5, 0.9, 0.6, 0.7, 0.8, 0.4];
        float[]? weightsAtLast = null;
        int evaluations = 0;
        var outcome = new EpochRunner<DenseBatch>(trainer, Settings(epochs: 6, patience: 3) with { KeepLast = true }).Run(new XorExamples(), new SeededRandom(9), () =>
        {
            weightsAtLast = (float[])trainer.Model.Parameters[0].Value.Clone();
            return metrics[evaluations++];
        }, ITrainingProgress.Silent);

        Assert.Equal(6, evaluations); // no early stop: the metric only describes the curve
        Assert.Equal(6, outcome.BestEpoch);
        Assert.Equal(0.4, outcome.BestMetric);
        Assert.Equal(weightsAtLast, trainer.Model.Parameters[0].Value);
    }

    [Fact]
    public void Run_EveryEpoch_StepsThroughAllExamplesInBatches()
    {
        var data = new XorExamples();
        var outcome = new EpochRunner<DenseBatch>(XorTrainer(2), Settings(epochs: 3, patience: 10)).Run(data, new SeededRandom(9), () => 0.5, ITrainingProgress.Silent);
        Assert.Equal(3 * 2, data.Batches);
        Assert.Equal(1, outcome.BestEpoch); // ties do not count as better
    }

    [Fact]
    public void Run_SameSeeds_GiveBitIdenticalWeights()
    {
        float[] Train()
        {
            var trainer = XorTrainer(3);
            new EpochRunner<DenseBatch>(trainer, Settings(epochs: 20, patience: 20, ema: 0.9f))
                .Run(new XorExamples(), new SeededRandom(4), () => 0, ITrainingProgress.Silent);
            return trainer.Parameters.SelectMany(p => p.Value).ToArray();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void Run_WithWeightAveraging_EvaluatesAndKeepsTheAverageNotTheLastStep()
    {
        var trainer = XorTrainer(5);
        float[]? evaluated = null;
        new EpochRunner<DenseBatch>(trainer, Settings(epochs: 1, patience: 1, ema: 0.5f)).Run(new XorExamples(), new SeededRandom(6), () =>
        {
            evaluated = (float[])trainer.Model.Parameters[0].Value.Clone();
            return 1;
        }, ITrainingProgress.Silent);

        // Replay the same steps without averaging: the live weights differ from what was evaluated and kept.
        var plain = XorTrainer(5);
        new EpochRunner<DenseBatch>(plain, Settings(epochs: 1, patience: 1)).Run(new XorExamples(), new SeededRandom(6), () => 1, ITrainingProgress.Silent);
        Assert.Equal(evaluated, trainer.Model.Parameters[0].Value);
        Assert.NotEqual(plain.Model.Parameters[0].Value, trainer.Model.Parameters[0].Value);
    }

    [Fact]
    public void Run_WithoutSelection_TrainsEveryEpochAndKeepsTheLastAveragedWeights()
    {
        // Selecting with a metric that improves every epoch keeps the last epoch's averaged weights too.
        var selecting = XorTrainer(7);
        int evaluations = 0;
        new EpochRunner<DenseBatch>(selecting, Settings(epochs: 5, patience: 1, ema: 0.9f))
            .Run(new XorExamples(), new SeededRandom(8), () => ++evaluations, ITrainingProgress.Silent);

        var refit = XorTrainer(7);
        var data = new XorExamples();
        var outcome = new EpochRunner<DenseBatch>(refit, Settings(epochs: 5, patience: 1, ema: 0.9f))
            .Run(data, new SeededRandom(8), evaluate: null, ITrainingProgress.Silent);

        Assert.Equal(5, outcome.Epochs.Count); // patience does not apply without a metric
        Assert.Equal(5, outcome.BestEpoch);
        Assert.Equal(5 * 2, data.Batches);
        Assert.All(outcome.Epochs, e => Assert.True(double.IsNaN(e.Metric)));
        Assert.Equal(selecting.Parameters.SelectMany(p => p.Value), refit.Parameters.SelectMany(p => p.Value));
    }
}
