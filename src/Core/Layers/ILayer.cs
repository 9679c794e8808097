using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

/// <summary>
/// A differentiable map from [batch, InputSize] to [batch, OutputSize] rows.
/// Conventions for every layer:
/// <list type="bullet">
/// <item>Tensors are row-major spans; arguments come as inputs, then sizes, then outputs.</item>
/// <item>Parameters live in the layer; activations and per-call state live in a workspace the caller
/// owns (<paramref name="state"/>: [batch, StatePerRow]), so inference is thread-safe.</item>
/// <item><c>Backward</c> adds into parameter gradients (<c>dWeight</c>…) and overwrites the input
/// gradient <c>dX</c> (skipped when dX is empty); zeroing gradients is the optimizer loop's job.</item>
/// </list>
/// </summary>
public interface ILayer
{
    string Name { get; }
    int InputSize { get; }
    int OutputSize { get; }

    /// <summary>Floats of per-call state the layer needs per batch row (dropout mask, pre-activation gradient).</summary>
    int StatePerRow { get; }

    IReadOnlyList<Parameter> Parameters { get; }
    LayerSpec Spec { get; }

    void Initialize(SeededRandom random);

    /// <summary>Whether an inference pass leaves its input as it is (dropout): a network's inference pass skips the layer.</summary>
    bool IsIdentityInInference => false;

    void Forward(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> state, PassContext context);

    void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, int batch, Span<float> dX, Span<float> state);
}
