namespace ServeNet.Core.Optimization;

/// <summary>Stochastic gradient descent with (heavy-ball) momentum: v = μ·v + g; w -= η·v.</summary>
public sealed class Sgd(float learningRate, float momentum = 0f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Momentum { get; } = momentum;
    protected override int StateSlots => Momentum > 0f ? 1 : 0;

    protected override void Update(float[] value, float[] grad, float[][] state, int start, int length)
    {
        float lr = Rate;
        if (Momentum == 0f)
        {
            for (int i = start; i < start + length; i++) value[i] -= lr * DecayedGradient(value, grad, i);
            return;
        }
        var velocity = state[0];
        for (int i = start; i < start + length; i++)
        {
            velocity[i] = Momentum * velocity[i] + DecayedGradient(value, grad, i);
            value[i] -= lr * velocity[i];
        }
    }
}
