using ServeNet.Core.Tensors;

namespace ServeNet.Core.Training;

/// <summary>
/// A training set that packs chosen examples into a mini-batch: the inputs, a label per row and,
/// for sequence losses, the row offsets of each sequence (see <see cref="Losses.ITrainingLoss"/>).
/// The batch may reuse buffers: it is valid until the next <see cref="Build"/>.
/// </summary>
public interface IBatchSource<TBatch> where TBatch : struct, IBatch
{
    /// <summary>Number of examples (sentences, documents…) an epoch shuffles.</summary>
    int Count { get; }

    TrainingBatch<TBatch> Build(ReadOnlySpan<int> examples);
}

/// <summary>One mini-batch: inputs, labels [rows], and segments [sequences + 1] (empty when the loss needs none).</summary>
public readonly record struct TrainingBatch<TBatch>(TBatch Inputs, ReadOnlyMemory<int> Labels, ReadOnlyMemory<int> Segments)
    where TBatch : struct, IBatch;
