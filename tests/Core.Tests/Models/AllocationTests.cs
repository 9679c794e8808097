using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;
using ServeNet.Core.Training;

namespace ServeNet.Core.Tests.Models;

public class AllocationTests
{
    [Fact]
    public void Inference_WarmWorkspace_AllocatesNothing()
    {
        var model = new Classifier<TokenBatch>(new EmbeddingBag("e", 1000, 100),
            [new Dense("h1", 100, 300, Activation.Relu), new Dropout("d", 300, 0.5f), new Dense("h2", 300, 300, Activation.Tanh), new Dense("out", 300, 2)]);
        model.Initialize(new SeededRandom(1));
        var workspace = model.CreateWorkspace(4);
        var batch = new TokenBatch(new[] { 5, 17, 999, 3, 3 }, new[] { 0, 3, 5 });
        for (int i = 0; i < 300; i++) model.PredictProbabilities(batch, workspace); // warm: tiered JIT, scratch buffers

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) model.PredictProbabilities(batch, workspace);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TrainingStep_Warm_AllocatesNothing()
    {
        var model = new Classifier<TokenBatch>(new EmbeddingBag("e", 50, 8, wordDropout: 0.3f),
            [new Dense("h", 8, 16, Activation.Relu), new Dropout("d", 16, 0.5f), new Dense("out", 16, 2)]);
        model.Initialize(new SeededRandom(1));
        var trainer = new Trainer<TokenBatch>(model, new ServeNet.Core.Optimization.Adam(), new SeededRandom(2),
            new TrainerOptions(MaxGradientNorm: 1f));
        var batch = new TokenBatch(new[] { 1, 2, 3, 4, 5, 6 }, new[] { 0, 2, 6 });
        int[] labels = [0, 1];
        for (int i = 0; i < 300; i++) trainer.Step(batch, labels); // past tiered-JIT promotion, which allocates once

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) trainer.Step(batch, labels);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
