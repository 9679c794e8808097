using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

/// <summary>
/// The first layer of a model: turns a batch of examples (ids, or dense features) into rows
/// [batch, OutputSize]. Same conventions as <see cref="ILayer"/>; there is no input gradient.
/// </summary>
public interface IInputLayer<TBatch> where TBatch : struct, IBatch
{
    string Name { get; }
    int OutputSize { get; }
    IReadOnlyList<Parameter> Parameters { get; }
    InputSpec Spec { get; }

    void Initialize(SeededRandom random);

    void Forward(in TBatch x, Span<float> y, InputScratch scratch, PassContext context);

    void Backward(in TBatch x, ReadOnlySpan<float> dY, InputScratch scratch);
}
