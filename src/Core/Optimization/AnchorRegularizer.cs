using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

// L2-SP (Li et al. 2018): loss += (λ/2)·Σ ‖w − w₀‖² over the rows a batch touched, so dW += λ·(w − w₀).
// Fine-tuned embedding rows are pulled back towards their pre-trained start w₀ and stay in the
// space of the rows training never touches (which a user's unseen words still use).
public sealed class AnchorRegularizer : IGradientRegularizer
{
    private readonly Parameter _table;
    private readonly float[] _anchor;
    private readonly float _strength;

    /// <summary>Anchors <paramref name="table"/> (sparse rows) at its current values with strength λ.</summary>
    public AnchorRegularizer(Parameter table, float strength)
    {
        if (table.TouchedRows is null) throw new ArgumentException($"'{table.Name}' has no sparse rows to anchor.", nameof(table));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strength);
        _table = table;
        _anchor = (float[])table.Value.Clone();
        _strength = strength;
    }

    public void AddGradients()
    {
        var rows = _table.TouchedRows!.Rows;
        int cols = _table.Cols;
        for (int r = 0; r < rows.Count; r++)
        {
            int row = rows[r];
            var grad = _table.GradRow(row);
            var value = _table.Row(row);
            var anchor = _anchor.AsSpan(row * cols, cols);
            for (int k = 0; k < grad.Length; k++) grad[k] += _strength * (value[k] - anchor[k]);
        }
    }
}
