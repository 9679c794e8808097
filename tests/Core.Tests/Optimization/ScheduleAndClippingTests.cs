using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Optimization;

public class ScheduleAndClippingTests
{
    [Fact]
    public void Schedules_GiveTheirRates()
    {
        Assert.Equal(0.1f, LearningRateSchedule.Parse("constant", 0.1f).Rate(7));
        var step = LearningRateSchedule.Parse("step:0.5:2", 1f);
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], Enumerable.Range(0, 5).Select(step.Rate));
        Assert.Equal(0.81f, LearningRateSchedule.Parse("exp:0.9", 1f).Rate(2), 5);
        Assert.Throws<FormatException>(() => LearningRateSchedule.Parse("cosine", 1f));
    }

    [Fact]
    public void ClipByGlobalNorm_ScalesDenseAndSparseGradientsTogether()
    {
        var dense = new Parameter("w", 1, 2);
        var sparse = new Parameter("e", 3, 2, sparseRows: true);
        dense.Grad[0] = 3;
        sparse.GradRow(1)[1] = 4;
        sparse.TouchedRows!.Add(1);
        double norm = GradientClipping.ClipByGlobalNorm([dense, sparse], 1f);
        Assert.Equal(5, norm, 5);
        Assert.Equal(0.6f, dense.Grad[0], 5);
        Assert.Equal(0.8f, sparse.GradRow(1)[1], 5);
        Assert.Equal(1, GradientClipping.GlobalNorm([dense, sparse]), 5);
    }

    [Fact]
    public void SparseParameter_UpdatesAndClearsOnlyTouchedRows()
    {
        var table = new Parameter("e", 4, 2, sparseRows: true);
        table.Value.AsSpan().Fill(1f);
        table.GradRow(2).Fill(1f);
        table.TouchedRows!.Add(2);
        new Sgd(0.5f).Step([table]);
        Assert.Equal([1f, 1f, 1f, 1f, 0.5f, 0.5f, 1f, 1f], table.Value);
        table.ZeroGrad();
        Assert.All(table.Grad, g => Assert.Equal(0f, g));
        Assert.Equal(0, table.TouchedRows.Count);
    }

    [Fact]
    public void FrozenParameter_IsNeverUpdated()
    {
        var p = new Parameter("w", 1, 3) { Frozen = true };
        p.Grad.AsSpan().Fill(1f);
        new Adam(0.1f).Step([p]);
        Assert.All(p.Value, v => Assert.Equal(0f, v));
    }
}
