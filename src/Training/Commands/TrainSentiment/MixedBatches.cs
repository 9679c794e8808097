using ServeNet.Core.Tensors;
using ServeNet.Core.Training;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>
/// Every strong example (SST) each epoch, plus a fresh sample of perEpoch weak examples (review
/// sentences labelled by their review) drawn before each epoch by <see cref="NextEpoch"/>. Example
/// indices: [0, strong) are the strong ones, [strong, strong + weak) the weak ones of <paramref name="all"/>.
/// </summary>
public sealed class MixedBatches(IBatchSource<TokenBatch> all, int strong, int weak, int perEpoch, SeededRandom draw) : IBatchSource<TokenBatch>
{
    private readonly int[] _weak = Enumerable.Range(strong, weak).ToArray();
    private int[] _rows = [];

    public int Count { get; } = strong + Math.Min(perEpoch, weak);

    /// <summary>Draws this epoch's weak examples: the first of a partial Fisher–Yates shuffle.</summary>
    public void NextEpoch()
    {
        for (int i = 0; i < Count - strong; i++)
        {
            int j = i + draw.NextInt(_weak.Length - i);
            (_weak[i], _weak[j]) = (_weak[j], _weak[i]);
        }
    }

    public TrainingBatch<TokenBatch> Build(ReadOnlySpan<int> examples)
    {
        if (_rows.Length < examples.Length) _rows = new int[examples.Length];
        for (int i = 0; i < examples.Length; i++) _rows[i] = examples[i] < strong ? examples[i] : _weak[examples[i] - strong];
        return all.Build(_rows.AsSpan(0, examples.Length));
    }
}
