using ServeNet.Core.Kernels;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b,o] = f(bias[o] + Σ_i x[b,i]·W[i,o])     x: [batch, in]   W: [in, out]   y: [batch, out]
// W is stored [in, out] so the forward product streams whole rows of W (no packing at batch 1).
public sealed class Dense : ILayer
{
    public Dense(string name, int inputSize, int outputSize, Activation activation = Activation.None)
    {
        Name = name;
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
        Weight = new Parameter($"{name}.weight", inputSize, outputSize);
        Bias = new Parameter($"{name}.bias", 1, outputSize);
    }

    public string Name { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public Activation Activation { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public IReadOnlyList<Parameter> Parameters => [Weight, Bias];
    public LayerSpec Spec => new("dense", Name, InputSize, OutputSize, Activation);

    // The gradient at the pre-activation, dZ = dY ⊙ f'(y), needs a buffer of its own.
    public int StatePerRow => Activation == Activation.None ? 0 : OutputSize;

    /// <summary>He initialisation for ReLU-like units, Glorot/Xavier otherwise; zero bias.</summary>
    public void Initialize(SeededRandom random)
    {
        if (Activation is Activation.Relu or Activation.LeakyRelu) Initializers.HeNormal(Weight.Value, InputSize, random);
        else Initializers.GlorotUniform(Weight.Value, InputSize, OutputSize, random);
        Array.Clear(Bias.Value);
    }

    public void Forward(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> state, PassContext context) =>
        MatMul.Multiply(x, Weight.Value, y, batch, InputSize, OutputSize, bias: Bias.Value, activation: Activation);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, int batch, Span<float> dX, Span<float> state)
    {
        int size = batch * OutputSize;
        ReadOnlySpan<float> dZ = dY[..size];
        if (Activation != Activation.None)
        {
            ActivationFunctions.Backward(Activation, y[..size], dZ, state[..size]);
            dZ = state[..size];
        }

        if (!Weight.Frozen)
        {
            // dW[i,o] += Σ_b x[b,i]·dZ[b,o]  (Xᵀ·dZ)
            MatMul.MultiplyTransposedA(x, dZ, Weight.Grad, InputSize, batch, OutputSize, accumulate: true);
        }
        if (!Bias.Frozen)
        {
            var dBias = Bias.Grad.AsSpan();
            for (int b = 0; b < batch; b++)
                System.Numerics.Tensors.TensorPrimitives.Add(dBias, dZ.Slice(b * OutputSize, OutputSize), dBias);
        }
        if (!dX.IsEmpty)
        {
            // dX[b,i] = Σ_o dZ[b,o]·W[i,o]  (dZ·Wᵀ)
            MatMul.MultiplyTransposedB(dZ, Weight.Value, dX, batch, OutputSize, InputSize);
        }
    }
}
