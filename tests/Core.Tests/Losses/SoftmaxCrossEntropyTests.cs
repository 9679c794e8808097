using ServeNet.Core.Losses;

namespace ServeNet.Core.Tests.Losses;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void ForwardBackward_HugeLogits_StayFinite()
    {
        float[] logits = [1000f, -1000f, 999f];
        var d = new float[3];
        float loss = SoftmaxCrossEntropy.ForwardBackward(logits, [2], 1, 3, d);
        // float32 resolves ~6e-5 around 1000, so three decimals is all the precision there is.
        Assert.Equal(MathF.Log(1 + MathF.Exp(1)), loss, 3);
        Assert.All(d, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, d.Sum(), 4);
    }

    [Fact]
    public void ForwardBackward_UniformLogits_GiveLogOfClassCount()
    {
        var d = new float[8];
        float loss = SoftmaxCrossEntropy.ForwardBackward(new float[8], [0, 3], 2, 4, d);
        Assert.Equal(MathF.Log(4), loss, 5);
        Assert.Equal((0.25f - 1f) / 2, d[0], 6);
        Assert.Equal(0.25f / 2, d[1], 6);
    }

    [Fact]
    public void ForwardBackward_LabelSmoothing_SpreadsTheTarget()
    {
        var d = new float[2];
        SoftmaxCrossEntropy.ForwardBackward(new float[2], [0], 1, 2, d, labelSmoothing: 0.2f);
        // target = [0.9, 0.1], p = [0.5, 0.5]
        Assert.Equal(-0.4f, d[0], 6);
        Assert.Equal(0.4f, d[1], 6);
    }

    [Fact]
    public void ForwardBackward_LabelOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.ForwardBackward(new float[2], [2], 1, 2, new float[2]));
    }
}
