namespace ServeNet.Core.Tensors;

/// <summary>The set of rows of a large table touched by a batch: O(1) add, iteration in first-touch order.</summary>
public sealed class SparseRowSet(int capacity)
{
    private readonly bool[] _member = new bool[capacity];
    private readonly List<int> _rows = [];

    public IReadOnlyList<int> Rows => _rows;
    public int Count => _rows.Count;

    public void Add(int row)
    {
        if (_member[row]) return;
        _member[row] = true;
        _rows.Add(row);
    }

    public void Clear()
    {
        for (int i = 0; i < _rows.Count; i++) _member[_rows[i]] = false;
        _rows.Clear();
    }
}
