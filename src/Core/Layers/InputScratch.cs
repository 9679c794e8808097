namespace ServeNet.Core.Layers;

/// <summary>Per-call state of an input layer, owned by a workspace: the ids kept after word dropout.</summary>
public sealed class InputScratch
{
    public int[] KeptIds { get; private set; } = [];
    public int[] KeptOffsets { get; private set; } = [];

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
}
