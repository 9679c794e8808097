using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b,:] = x[b,:]     x: [batch, width]: the input of a plain feed-forward network.
public sealed class DenseInput(string name, int width) : IInputLayer<DenseBatch>
{
    public string Name { get; } = name;
    public int OutputSize { get; } = width;
    public IReadOnlyList<Parameter> Parameters => [];
    public InputSpec Spec => new("dense-input", Name, OutputSize, []);

    public void Initialize(SeededRandom random) { }

    public void Forward(in DenseBatch x, Span<float> y, InputScratch scratch, PassContext context)
    {
        int size = x.Rows * OutputSize;
        if (x.Values.Length < size)
            throw new ArgumentException($"Dense input '{Name}' expects {x.Rows}×{OutputSize} values, got {x.Values.Length}.");
        x.Values.Span[..size].CopyTo(y);
    }

    public void Backward(in DenseBatch x, ReadOnlySpan<float> dY, InputScratch scratch) { }
}
