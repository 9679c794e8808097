using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b,i] = f(x[b,i])     f ∈ {ReLU, leaky ReLU, tanh, sigmoid}
// Usually fused into Dense; kept as a layer of its own for stacks that need it standalone.
public sealed class ActivationLayer(string name, int size, Activation activation) : ILayer
{
    public string Name { get; } = name;
    public int InputSize { get; } = size;
    public int OutputSize { get; } = size;
    public Activation Activation { get; } = activation;
    public int StatePerRow => 0;
    public IReadOnlyList<Parameter> Parameters => [];
    public LayerSpec Spec => new("activation", Name, InputSize, OutputSize, Activation);

    public void Initialize(SeededRandom random) { }

    public void Forward(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> state, PassContext context)
    {
        var output = y[..(batch * OutputSize)];
        x[..output.Length].CopyTo(output);
        ActivationFunctions.Apply(Activation, output);
    }

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, int batch, Span<float> dX, Span<float> state)
    {
        if (dX.IsEmpty) return;
        int size = batch * OutputSize;
        ActivationFunctions.Backward(Activation, y[..size], dY[..size], dX[..size]);
    }
}
