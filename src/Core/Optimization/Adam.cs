namespace ServeNet.Core.Optimization;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m = β₁m + (1-β₁)g; v = β₂v + (1-β₂)g²;
/// w -= η·m̂ / (√v̂ + ε) with bias-corrected m̂, v̂.
/// </summary>
public sealed class Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    : Optimizer(learningRate, weightDecay)
{
    public float Beta1 { get; } = beta1;
    public float Beta2 { get; } = beta2;
    public float Epsilon { get; } = epsilon;
    protected override int StateSlots => 2;

    protected override void Update(float[] value, float[] grad, float[][] state, int start, int length)
    {
        float[] m = state[0], v = state[1];
        // Fold both bias corrections into the step size: η·√(1-β₂ᵗ)/(1-β₁ᵗ).
        float step = Rate * MathF.Sqrt(1f - MathF.Pow(Beta2, StepCount)) / (1f - MathF.Pow(Beta1, StepCount));
        float epsilonHat = Epsilon * MathF.Sqrt(1f - MathF.Pow(Beta2, StepCount));
        for (int i = start; i < start + length; i++)
        {
            float g = DecayedGradient(value, grad, i);
            m[i] = Beta1 * m[i] + (1f - Beta1) * g;
            v[i] = Beta2 * v[i] + (1f - Beta2) * g * g;
            value[i] -= step * m[i] / (MathF.Sqrt(v[i]) + epsilonHat);
        }
    }
}
