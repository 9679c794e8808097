namespace ServeNet.Core.Layers;

/// <summary>
/// Per-call state of an input layer, owned by a workspace: the ids kept after word dropout, and
/// numbered buffers a composite input keeps between forward and backward. Grows to the largest
/// batch seen, then never allocates.
/// </summary>
public sealed class InputScratch
{
    private float[][] _floats = [];
    private int[][] _ints = [];

    public int[] KeptIds { get; private set; } = [];
    public int[] KeptOffsets { get; private set; } = [];

    /// <summary>Bytes of every buffer held (counted in the workspace's retained size).</summary>
    public long Bytes
    {
        get
        {
            long bytes = (KeptIds.LongLength + KeptOffsets.LongLength) * sizeof(int);
            foreach (var buffer in _floats) bytes += (buffer?.LongLength ?? 0) * sizeof(float);
            foreach (var buffer in _ints) bytes += (buffer?.LongLength ?? 0) * sizeof(int);
            return bytes;
        }
    }

    /// <summary>Set by a forward pass that dropped words: backward must use the kept ids, not the input.</summary>
    public bool HasKept { get; set; }

    /// <summary>Per row and scope, the sum of the words in that scope (a scoped <see cref="EmbeddingBag"/>): [rows, scopes, dim].</summary>
    public float[] ScopeSums { get; private set; } = [];

    /// <summary>One row's gradient through a scope map: [dim].</summary>
    public float[] ScopeGradient { get; private set; } = [];

    public void EnsureScopeCapacity(int sums, int dim)
    {
        if (ScopeSums.Length < sums) ScopeSums = new float[Math.Max(sums, ScopeSums.Length * 2)];
        if (ScopeGradient.Length < dim) ScopeGradient = new float[dim];
    }

    public void EnsureCapacity(int ids, int rows)
    {
        if (KeptIds.Length < ids) KeptIds = new int[Math.Max(ids, KeptIds.Length * 2)];
        if (KeptOffsets.Length < rows + 1) KeptOffsets = new int[Math.Max(rows + 1, KeptOffsets.Length * 2)];
    }

    /// <summary>Float buffer number <paramref name="index"/> with at least <paramref name="length"/> entries (contents kept only while it does not grow).</summary>
    public Span<float> Floats(int index, int length) => Grow(ref _floats, index, length).AsSpan(0, length);

    /// <summary>Int buffer number <paramref name="index"/>, like <see cref="Floats"/>.</summary>
    public Span<int> Ints(int index, int length) => Grow(ref _ints, index, length).AsSpan(0, length);

    private static T[] Grow<T>(ref T[][] buffers, int index, int length)
    {
        if (buffers.Length <= index) Array.Resize(ref buffers, index + 1);
        var buffer = buffers[index];
        if (buffer is null || buffer.Length < length) buffers[index] = buffer = new T[Math.Max(length, (buffer?.Length ?? 0) * 2)];
        return buffer;
    }
}
