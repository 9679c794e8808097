using ServeNet.Core.Tensors;
using ServeNet.Core.Training;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>Packs the id sequences of chosen sentences into one <see cref="TokenBatch"/> (a bag per row), reusing its buffers.</summary>
public sealed class SentenceBatches(int[][] ids, int[] labels, int maxRows) : IBatchSource<TokenBatch>
{
    private int[] _ids = new int[maxRows * 32];
    private readonly int[] _offsets = new int[maxRows + 1];
    private readonly int[] _labels = new int[maxRows];

    public int Count => ids.Length;

    public TrainingBatch<TokenBatch> Build(ReadOnlySpan<int> rows)
    {
        int total = 0;
        foreach (int r in rows) total += ids[r].Length;
        if (_ids.Length < total) _ids = new int[total * 2];
        int n = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var source = ids[rows[i]];
            source.CopyTo(_ids, n);
            n += source.Length;
            _offsets[i + 1] = n;
            _labels[i] = labels[rows[i]];
        }
        return new(new TokenBatch(_ids.AsMemory(0, n), _offsets.AsMemory(0, rows.Length + 1)), _labels.AsMemory(0, rows.Length), default);
    }
}
