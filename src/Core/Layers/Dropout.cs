using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// Training: y = x ⊙ m / (1 - p), m[b,i] ~ Bernoulli(1 - p), the mask kept in state for backward.
// Inference: y = x (inverted dropout needs no rescaling at test time).
public sealed class Dropout : ILayer
{
    public Dropout(string name, int size, float rate)
    {
        if (rate is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1).");
        Name = name;
        InputSize = OutputSize = size;
        Rate = rate;
    }

    public string Name { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public float Rate { get; }
    public int StatePerRow => OutputSize;
    public IReadOnlyList<Parameter> Parameters => [];
    public LayerSpec Spec => new("dropout", Name, InputSize, OutputSize, Rate: Rate);

    public void Initialize(SeededRandom random) { }

    public bool IsIdentityInInference => true;

    public void Forward(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> state, PassContext context)
    {
        int size = batch * OutputSize;
        if (!context.Training || Rate == 0f)
        {
            x[..size].CopyTo(y);
            state[..size].Fill(1f);
            return;
        }
        var random = context.RequireRandom();
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < size; i++)
        {
            float mask = random.NextFloat() < Rate ? 0f : keep;
            state[i] = mask;
            y[i] = x[i] * mask;
        }
    }

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, int batch, Span<float> dX, Span<float> state)
    {
        if (dX.IsEmpty) return;
        int size = batch * OutputSize;
        System.Numerics.Tensors.TensorPrimitives.Multiply(dY[..size], state[..size], dX[..size]);
    }
}
