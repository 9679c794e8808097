namespace ServeNet.Core.Tensors;

/// <summary>
/// A trainable row-major matrix [Rows, Cols] and its gradient. Embedding tables use sparse
/// gradients: only the rows a batch touched are summed, clipped, updated and cleared.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, int rows, int cols, bool sparseRows = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        Name = name;
        Rows = rows;
        Cols = cols;
        Value = new float[(long)rows * cols];
        TouchedRows = sparseRows ? new SparseRowSet(rows) : null;
    }

    public string Name { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int Length => Value.Length;
    public float[] Value { get; }

    /// <summary>Allocated on first use, so inference-only models never carry gradient memory.</summary>
    public float[] Grad => _grad ??= new float[Value.Length];
    private float[]? _grad;

    /// <summary>Multiplies the optimizer's learning rate for this parameter (e.g. a gentler rate for pre-trained embeddings).</summary>
    public float LearningRateScale { get; set; } = 1f;

    /// <summary>Frozen parameters receive no gradient and are never updated.</summary>
    public bool Frozen { get; set; }

    /// <summary>Rows with a gradient since the last <see cref="ZeroGrad"/>; null for dense parameters.</summary>
    public SparseRowSet? TouchedRows { get; }

    public Span<float> Row(int row) => Value.AsSpan(row * Cols, Cols);
    public Span<float> GradRow(int row) => Grad.AsSpan(row * Cols, Cols);

    public void ZeroGrad()
    {
        if (_grad is null) return;
        if (TouchedRows is null)
        {
            Array.Clear(_grad);
            return;
        }
        var rows = TouchedRows.Rows;
        for (int r = 0; r < rows.Count; r++) _grad.AsSpan(rows[r] * Cols, Cols).Clear();
        TouchedRows.Clear();
    }

    public override string ToString() => $"{Name} [{Rows}, {Cols}]";
}
