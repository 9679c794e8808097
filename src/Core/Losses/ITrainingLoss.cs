using ServeNet.Core.Tensors;

namespace ServeNet.Core.Losses;

/// <summary>
/// What a <see cref="Training.Trainer{TBatch}"/> minimises over a network's outputs. Conventions:
/// logits and dLogits are [rows, classes]; segments, when the loss needs them, are row offsets
/// [sequences + 1] of the sequences (sentences) in the batch. The loss overwrites dLogits, adds
/// into the gradients of its own <see cref="Parameters"/> and returns the batch's mean loss.
/// </summary>
public interface ITrainingLoss
{
    /// <summary>Parameters the loss owns and trains with the network (e.g. CRF transitions); often none.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    double ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> segments,
        int rows, int classes, Span<float> dLogits);
}
