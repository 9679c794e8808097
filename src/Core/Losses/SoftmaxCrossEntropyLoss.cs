using ServeNet.Core.Tensors;

namespace ServeNet.Core.Losses;

/// <summary>Per-row softmax cross-entropy, optionally with label smoothing ε (see <see cref="SoftmaxCrossEntropy"/>).</summary>
public sealed class SoftmaxCrossEntropyLoss(float labelSmoothing = 0f) : ITrainingLoss
{
    public IReadOnlyList<Parameter> Parameters => [];

    public double ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> segments,
        int rows, int classes, Span<float> dLogits) =>
        SoftmaxCrossEntropy.ForwardBackward(logits, labels, rows, classes, dLogits, labelSmoothing);
}
