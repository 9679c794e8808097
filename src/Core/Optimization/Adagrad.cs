namespace ServeNet.Core.Optimization;

/// <summary>Adagrad (Duchi et al. 2011): G += g²; w -= η·g / (√G + ε). Suits sparse embedding updates.</summary>
public sealed class Adagrad(float learningRate, float epsilon = 1e-8f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Epsilon { get; } = epsilon;
    protected override int StateSlots => 1;

    protected override void Update(float[] value, float[] grad, float[][] state, int start, int length)
    {
        var sum = state[0];
        float lr = Rate;
        for (int i = start; i < start + length; i++)
        {
            float g = DecayedGradient(value, grad, i);
            sum[i] += g * g;
            value[i] -= lr * g / (MathF.Sqrt(sum[i]) + Epsilon);
        }
    }
}
