using ServeNet.Core.Tensors;

namespace ServeNet.Training.Commands;

/// <summary>Packs the id sequences of chosen examples into one <see cref="TokenBatch"/>, reusing its buffers.</summary>
public sealed class BatchBuilder(int maxRows)
{
    private int[] _ids = new int[maxRows * 32];
    private readonly int[] _offsets = new int[maxRows + 1];
    private readonly int[] _labels = new int[maxRows];

    public (TokenBatch Batch, int[] Labels) Build(ReadOnlySpan<int> rows, int[][] ids, int[]? labels)
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
            if (labels is not null) _labels[i] = labels[rows[i]];
        }
        return (new TokenBatch(_ids.AsMemory(0, n), _offsets.AsMemory(0, rows.Length + 1)), _labels);
    }
}
