using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Models;

public sealed class WorkspacePoolTests
{
    private static Classifier<TokenBatch> Model()
    {
        var model = new Classifier<TokenBatch>(new EmbeddingBag("e", 20, 8), [new Dense("out", 8, 2)]);
        model.Initialize(new SeededRandom(1));
        return model;
    }

    // A batch of `rows` bags of two ids each.
    private static TokenBatch Batch(int rows) =>
        new(Enumerable.Range(0, 2 * rows).Select(i => i % 20).ToArray(), Enumerable.Range(0, rows + 1).Select(r => 2 * r).ToArray());

    [Fact]
    public void WorkspacePool_WorkspaceWithinTheLimit_IsRentedAgain()
    {
        var model = Model();
        var pool = new WorkspacePool(() => model.CreateWorkspace(), size: 1, maxRetainedBytes: 1 << 20);
        var workspace = pool.Rent();
        model.PredictProbabilities(Batch(100), workspace);

        pool.Return(workspace);

        Assert.Same(workspace, pool.Rent());
    }

    [Fact]
    public void WorkspacePool_WorkspaceGrownPastTheLimit_IsDroppedOnReturn()
    {
        var model = Model();
        var pool = new WorkspacePool(() => model.CreateWorkspace(), size: 1, maxRetainedBytes: 1 << 20);
        var workspace = pool.Rent();
        model.PredictProbabilities(Batch(100_000), workspace); // one huge request

        pool.Return(workspace);

        Assert.True(workspace.Bytes > pool.MaxRetainedBytes, $"{workspace.Bytes} bytes");
        Assert.Equal(0, pool.RetainedBytes);
        Assert.NotSame(workspace, pool.Rent());
    }

    [Fact]
    public void Workspace_Bytes_CountsTheBuffersAPassTouched()
    {
        var model = Model();
        var workspace = model.CreateWorkspace(10);

        long fresh = workspace.Bytes;
        model.PredictProbabilities(Batch(10), workspace);
        long inference = workspace.Bytes;
        model.Backward(Batch(10), new float[10 * 2], workspace);

        Assert.Equal(0, fresh);
        // Inference: activations 8 + 2 and probabilities 2 per row; no gradient.
        Assert.Equal(10 * (8 + 2 + 2) * sizeof(float), inference);
        // Backward adds the gradient buffer it uses (the widest stage, 8 per row).
        Assert.Equal(inference + 10 * 8 * sizeof(float), workspace.Bytes);
    }
}
