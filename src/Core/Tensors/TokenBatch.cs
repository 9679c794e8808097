namespace ServeNet.Core.Tensors;

/// <summary>
/// A batch of variable-length id sequences in compressed-row form: row b holds
/// Ids[Offsets[b] .. Offsets[b+1]). Windows of a tagger are rows of equal length.
/// </summary>
public readonly struct TokenBatch : IBatch
{
    public TokenBatch(ReadOnlyMemory<int> ids, ReadOnlyMemory<int> offsets)
    {
        if (offsets.Length < 1) throw new ArgumentException("Offsets need at least one entry (0).", nameof(offsets));
        var o = offsets.Span;
        if (o[0] != 0 || o[^1] > ids.Length)
            throw new ArgumentException($"Offsets must start at 0 and end within the {ids.Length} ids; got {o[0]}..{o[^1]}.", nameof(offsets));
        Ids = ids;
        Offsets = offsets;
    }

    public ReadOnlyMemory<int> Ids { get; }
    public ReadOnlyMemory<int> Offsets { get; }
    public int Rows => Offsets.Length - 1;

    public ReadOnlySpan<int> Row(int row)
    {
        var o = Offsets.Span;
        return Ids.Span[o[row]..o[row + 1]];
    }

    /// <summary>A batch of fixed-width rows (e.g. tagger windows): ids [rows, width].</summary>
    public static TokenBatch FixedWidth(ReadOnlyMemory<int> ids, int rows, int width, Memory<int> offsetsBuffer)
    {
        var o = offsetsBuffer.Span[..(rows + 1)];
        for (int r = 0; r <= rows; r++) o[r] = r * width;
        return new TokenBatch(ids[..(rows * width)], offsetsBuffer[..(rows + 1)]);
    }
}
