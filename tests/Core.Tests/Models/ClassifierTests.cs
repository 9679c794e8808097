using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Training;
using Xunit.Abstractions;

namespace ServeNet.Core.Tests.Models;

public class ClassifierTests(ITestOutputHelper output)
{
    private static Classifier<TokenBatch> SmallDan(float wordDropout = 0f, float dropout = 0f) => new(
        new EmbeddingBag("embed", 12, 5, wordDropout),
        [
            new Dense("hidden1", 5, 6, Activation.Tanh),
            new Dropout("drop1", 6, dropout),
            // Smooth units: a finite-difference step must not cross a ReLU kink (ReLUs are checked per layer).
            new Dense("hidden2", 6, 4, Activation.Sigmoid),
            new Dense("output", 4, 3),
        ]);

    [Fact]
    public void Network_Backward_MatchesFiniteDifferencesForEveryParameter()
    {
        var model = SmallDan(wordDropout: 0.3f, dropout: 0.25f);
        model.Initialize(new SeededRandom(8));
        var batch = new TokenBatch(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0 }, new[] { 0, 3, 7, 8, 12 });
        int[] labels = [0, 2, 1, 2];
        var workspace = model.CreateWorkspace();
        var dLogits = new float[4 * 3];

        // Same seed every evaluation: the same words and units are dropped, so the loss is a smooth function.
        double Loss()
        {
            var logits = model.Forward(batch, workspace, PassContext.Train(new SeededRandom(77)));
            double loss = 0;
            for (int b = 0; b < 4; b++)
            {
                var z = logits.Slice(b * 3, 3);
                loss += Softmax.LogSumExp(z) - (double)z[labels[b]];
            }
            return loss / 4;
        }

        var logits = model.Forward(batch, workspace, PassContext.Train(new SeededRandom(77)));
        SoftmaxCrossEntropy.ForwardBackward(logits, labels, 4, 3, dLogits);
        model.Backward(batch, dLogits, workspace);

        foreach (var p in model.Parameters)
        {
            double error = GradientCheck.MaxRelativeError(Loss, p.Value, p.Grad, p.Name, maxEntries: 40);
            output.WriteLine($"{p.Name}: max relative error {error:E2}");
        }
    }

    [Fact]
    public void Constructor_MismatchedLayerSizes_ThrowsNamingTheLayer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Classifier<TokenBatch>(new EmbeddingBag("e", 3, 4), [new Dense("oops", 5, 2)]));
        Assert.Contains("'oops' takes 5 inputs but receives 4", error.Message);
    }

    [Fact]
    public void TwoLayerNet_LearnsXor()
    {
        var model = new Classifier<DenseBatch>(new DenseInput("x", 2), [new Dense("hidden", 2, 8, Activation.Tanh), new Dense("out", 8, 2)]);
        model.Initialize(new SeededRandom(1));
        var trainer = new Trainer<DenseBatch>(model, new Adam(0.05f), new SeededRandom(2));
        var x = new DenseBatch(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4);
        int[] labels = [0, 1, 1, 0];
        for (int step = 0; step < 300; step++) trainer.Step(x, labels);

        var probabilities = model.PredictProbabilities(x, model.CreateWorkspace());
        for (int b = 0; b < 4; b++) Assert.True(probabilities[b * 2 + labels[b]] > 0.9f, $"row {b}: p = {probabilities[b * 2 + labels[b]]}");
    }

    // XOR of two tokens: "a0 b0" → 0, "a0 b1" → 1, "a1 b0" → 1, "a1 b1" → 0, ids a0=0, a1=1, b0=2, b1=3.
    private static readonly TokenBatch XorTokens = new(new[] { 0, 2, 0, 3, 1, 2, 1, 3 }, new[] { 0, 2, 4, 6, 8 });
    private static readonly int[] XorLabels = [0, 1, 1, 0];

    private static float XorAccuracy(IReadOnlyList<ILayer> layers, int dim)
    {
        var model = new Classifier<TokenBatch>(new EmbeddingBag("e", 4, dim), layers);
        model.Initialize(new SeededRandom(3));
        var trainer = new Trainer<TokenBatch>(model, new Adam(0.05f), new SeededRandom(4));
        for (int step = 0; step < 500; step++) trainer.Step(XorTokens, XorLabels);
        var p = model.PredictProbabilities(XorTokens, model.CreateWorkspace()).ToArray();
        return Enumerable.Range(0, 4).Count(b => p[b * 2 + XorLabels[b]] > 0.5f) / 4f;
    }

    [Fact]
    public void AveragingNetWithHiddenLayer_LearnsXorOfTwoTokens()
    {
        Assert.Equal(1f, XorAccuracy([new Dense("h", 4, 8, Activation.Tanh), new Dense("out", 8, 2)], 4));
    }

    [Fact]
    public void AveragingNetWithoutHiddenLayer_CannotLearnXor()
    {
        // A mean of embeddings followed by one linear layer is linear in the one-hot counts: XOR is out of reach.
        Assert.True(XorAccuracy([new Dense("out", 4, 2)], 4) <= 0.75f);
    }

    public static TheoryData<string> Optimizers() => ["sgd", "sgd-momentum", "adagrad", "adam", "adam-decay"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Optimizer_OnSyntheticTask_DecreasesLossAndLearns(string name)
    {
        Optimizer optimizer = name switch
        {
            "sgd" => new Sgd(0.5f),
            "sgd-momentum" => new Sgd(0.1f, momentum: 0.9f),
            "adagrad" => new Adagrad(0.1f),
            "adam" => new Adam(0.01f),
            "adam-decay" => new Adam(0.01f, weightDecay: 1e-4f),
            _ => throw new ArgumentException(name),
        };
        // Three Gaussian blobs in 4-d; the label is the blob.
        var random = new SeededRandom(21);
        const int n = 300;
        var features = new float[n * 4];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) features[i * 4 + j] = (j == labels[i] ? 2f : 0f) + random.NextGaussian() * 0.5f;
        }
        var model = new Classifier<DenseBatch>(new DenseInput("x", 4), [new Dense("h", 4, 16, Activation.Relu), new Dense("out", 16, 3)]);
        model.Initialize(new SeededRandom(5));
        var trainer = new Trainer<DenseBatch>(model, optimizer, new SeededRandom(6), new TrainerOptions(MaxGradientNorm: 5f));
        var all = new DenseBatch(features, n);

        float first = EpochLoss(), last = first;
        for (int epoch = 0; epoch < 30; epoch++) last = EpochLoss();
        output.WriteLine($"{name}: loss {first:F3} → {last:F3}");
        Assert.True(last < first * 0.5f, $"{name}: loss {first} → {last}");
        var p = model.PredictProbabilities(all, model.CreateWorkspace()).ToArray();
        int correct = Enumerable.Range(0, n).Count(i => Enumerable.Range(0, 3).MaxBy(c => p[i * 3 + c]) == labels[i]);
        Assert.True(correct > 0.9 * n, $"{name}: {correct}/{n} correct");

        float EpochLoss()
        {
            double sum = 0;
            for (int start = 0; start < n; start += 30)
                sum += trainer.Step(new DenseBatch(features.AsMemory(start * 4, 30 * 4), 30), labels.AsSpan(start, 30));
            return (float)(sum / (n / 30));
        }
    }

    [Fact]
    public void InferencePass_SkipsDropout_AndGivesTheLogitsOfEveryLayerInTurn()
    {
        var model = SmallDan(dropout: 0.5f);
        model.Initialize(new SeededRandom(5));
        var batch = new TokenBatch(new[] { 1, 2, 3, 4, 5, 6, 7 }, new[] { 0, 3, 7 });
        var logits = model.Forward(batch, model.CreateWorkspace(), PassContext.Inference).ToArray();

        // Layer by layer in fresh buffers, dropout as the identity it is in inference (a copy).
        var workspace = model.CreateWorkspace();
        var x = new float[2 * 5];
        model.Input.Forward(batch, x, workspace.Input, PassContext.Inference);
        foreach (var layer in model.Layers)
        {
            var y = new float[2 * layer.OutputSize];
            layer.Forward(x, 2, y, new float[2 * Math.Max(1, layer.StatePerRow)], PassContext.Inference);
            x = y;
        }
        Assert.Equal(x, logits);
        // A training pass still runs the dropout (its mask): different logits, and its gradients checked above.
        Assert.NotEqual(logits, model.Forward(batch, model.CreateWorkspace(), PassContext.Train(new SeededRandom(3))).ToArray());
    }

    [Fact]
    public void WorkspacePool_ConcurrentPredictions_MatchSerialOnes()
    {
        var model = SmallDan();
        model.Initialize(new SeededRandom(1));
        var pool = new WorkspacePool(() => model.CreateWorkspace());
        var inputs = Enumerable.Range(0, 64).Select(i => new TokenBatch(new[] { i % 12, (i * 7) % 12 }, new[] { 0, 2 })).ToArray();
        var expected = inputs.Select(x => model.PredictProbabilities(x, model.CreateWorkspace()).ToArray()).ToArray();
        Parallel.For(0, 2000, i =>
        {
            var workspace = pool.Rent();
            var p = model.PredictProbabilities(inputs[i % 64], workspace).ToArray();
            pool.Return(workspace);
            Assert.Equal(expected[i % 64], p);
        });
    }
}
