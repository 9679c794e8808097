using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Models;

public sealed class WorkspacePoolTests
{
    private static Classifier<TokenBatch> Model() =>
        new(new EmbeddingBag("e", 20, 8), [new Dense("out", 8, 2)]);

    [Fact]
    public void WorkspacePool_WorkspaceWithinTheLimit_IsRentedAgain()
    {
        var model = Model();
        var pool = new WorkspacePool(() => model.CreateWorkspace(), size: 1, maxRetainedBytes: 1 << 20);
        var workspace = pool.Rent();
        workspace.EnsureCapacity(100);

        pool.Return(workspace);

        Assert.Same(workspace, pool.Rent());
    }

    [Fact]
    public void WorkspacePool_WorkspaceGrownPastTheLimit_IsDroppedOnReturn()
    {
        var model = Model();
        var pool = new WorkspacePool(() => model.CreateWorkspace(), size: 1, maxRetainedBytes: 1 << 20);
        var workspace = pool.Rent();
        workspace.EnsureCapacity(100_000); // one huge request

        pool.Return(workspace);

        Assert.True(workspace.Bytes > pool.MaxRetainedBytes, $"{workspace.Bytes} bytes");
        Assert.Equal(0, pool.RetainedBytes);
        Assert.NotSame(workspace, pool.Rent());
    }

    [Fact]
    public void Workspace_Bytes_CountsEveryRowBuffer()
    {
        var model = Model();
        var workspace = model.CreateWorkspace(10);

        // Per row: activations 8 + 2, gradients 2 × 8 (the widest stage), probabilities 2 (a Dense layer keeps no state).
        Assert.Equal(10 * (8 + 2 + 2 * 8 + 2) * sizeof(float), workspace.Bytes);
    }
}
