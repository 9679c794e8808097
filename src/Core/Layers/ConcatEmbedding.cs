using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b, off(g) .. off(g)+d(g)] = mean over slots s of group g with id ≠ 0 of T_{table(g)}[x[b,s], :]
// x: [batch, slots] ids   y: [batch, Σ_g d(g)]
// The tagger's window input (Collobert et al. 2011): each of the 2w+1 positions contributes its
// word, casing, affix… embeddings, each feature looked up in its own table shared across positions.
// A group is usually one slot (its id looked up as is, padding row included); a group of several
// slots is a bag (e.g. a token's character n-grams) averaged over its non-padding ids, zero if none.
public sealed class ConcatEmbedding : IInputLayer<TokenBatch>
{
    private readonly int[] _slotTables;
    private readonly int[] _slotGroups;
    private readonly int[] _groupFirstSlot, _groupSlots, _groupTables, _groupOffsets;

    public ConcatEmbedding(string name, IReadOnlyList<TableSpec> tables, IReadOnlyList<int> slotTables, IReadOnlyList<int>? slotGroups = null)
    {
        if (tables.Count == 0) throw new ArgumentException("At least one table is needed.", nameof(tables));
        Name = name;
        Tables = tables.Select(t => new Parameter(t.Name, t.Rows, t.Cols, sparseRows: true)).ToArray();
        _slotTables = slotTables.ToArray();
        _slotGroups = slotGroups?.ToArray() ?? Enumerable.Range(0, _slotTables.Length).ToArray();
        if (_slotGroups.Length != _slotTables.Length)
            throw new ArgumentException($"{_slotGroups.Length} slot groups for {_slotTables.Length} slots.", nameof(slotGroups));

        var first = new List<int>();
        var count = new List<int>();
        for (int s = 0; s < _slotTables.Length; s++)
        {
            if ((uint)_slotTables[s] >= (uint)Tables.Count)
                throw new ArgumentException($"Slot {s} names table {_slotTables[s]}, but there are {Tables.Count}.", nameof(slotTables));
            if (s > 0 && _slotGroups[s] == _slotGroups[s - 1])
            {
                if (_slotTables[s] != _slotTables[s - 1]) throw new ArgumentException($"Slot {s} differs in table from the rest of its group.", nameof(slotGroups));
                count[^1]++;
                continue;
            }
            if (_slotGroups[s] != first.Count) throw new ArgumentException("Slot groups must be numbered 0, 1, 2… in slot order.", nameof(slotGroups));
            first.Add(s);
            count.Add(1);
        }
        _groupFirstSlot = first.ToArray();
        _groupSlots = count.ToArray();
        _groupTables = first.Select(s => _slotTables[s]).ToArray();
        _groupOffsets = new int[first.Count];
        int offset = 0;
        for (int g = 0; g < first.Count; g++)
        {
            _groupOffsets[g] = offset;
            offset += Tables[_groupTables[g]].Cols;
        }
        OutputSize = offset;
    }

    public string Name { get; }
    public IReadOnlyList<Parameter> Tables { get; }
    public int Slots => _slotTables.Length;
    public int OutputSize { get; }
    public IReadOnlyList<Parameter> Parameters => Tables;
    public IReadOnlyList<int> SlotTables => _slotTables;
    public IReadOnlyList<int> SlotGroups => _slotGroups;
    public int Groups => _groupFirstSlot.Length;

    /// <summary>Group g: its first slot, slot count, table and output offset.</summary>
    public (int FirstSlot, int Slots, int Table, int Offset) Group(int g) => (_groupFirstSlot[g], _groupSlots[g], _groupTables[g], _groupOffsets[g]);

    public InputSpec Spec => new("concat-embedding", Name, OutputSize,
        Tables.Select(t => new TableSpec(t.Name, t.Rows, t.Cols)).ToArray(), _slotTables,
        SlotGroups: Groups == Slots ? null : _slotGroups);

    public void Initialize(SeededRandom random)
    {
        foreach (var table in Tables) random.FillGaussian(table.Value, 0.1f);
    }

    public void Forward(in TokenBatch x, Span<float> y, InputScratch scratch, PassContext context) =>
        Forward(x.Ids.Span, x.Rows, y, OutputSize, 0);

    /// <summary>Forward on window rows ids [rows, Slots] into columns offset.. of y [rows, stride].</summary>
    public void Forward(ReadOnlySpan<int> ids, int rows, Span<float> y, int stride, int offset)
    {
        int slots = Slots;
        if (ids.Length != rows * slots)
            throw new ArgumentException($"Input '{Name}' expects rows of {slots} ids; got {ids.Length} ids for {rows} rows.");
        for (int b = 0; b < rows; b++)
        {
            var row = y.Slice(b * stride + offset, OutputSize);
            var rowIds = ids.Slice(b * slots, slots);
            for (int g = 0; g < _groupFirstSlot.Length; g++)
            {
                var table = Tables[_groupTables[g]];
                var output = row.Slice(_groupOffsets[g], table.Cols);
                if (_groupSlots[g] == 1)
                {
                    table.Row(rowIds[_groupFirstSlot[g]]).CopyTo(output);
                    continue;
                }
                output.Clear();
                int n = 0;
                foreach (int id in rowIds.Slice(_groupFirstSlot[g], _groupSlots[g]))
                {
                    if (id == 0) continue;
                    TensorPrimitives.Add(output, table.Row(id), output);
                    n++;
                }
                if (n > 1) TensorPrimitives.Multiply(output, 1f / n, output);
            }
        }
    }

    public void Backward(in TokenBatch x, ReadOnlySpan<float> dY, InputScratch scratch) =>
        Backward(x.Ids.Span, x.Rows, dY, OutputSize, 0);

    /// <summary>Backward from columns offset.. of dY [rows, stride].</summary>
    public void Backward(ReadOnlySpan<int> ids, int rows, ReadOnlySpan<float> dY, int stride, int offset)
    {
        int slots = Slots;
        for (int b = 0; b < rows; b++)
        {
            var g = dY.Slice(b * stride + offset, OutputSize);
            var rowIds = ids.Slice(b * slots, slots);
            for (int k = 0; k < _groupFirstSlot.Length; k++)
            {
                var table = Tables[_groupTables[k]];
                if (table.Frozen) continue;
                var dGroup = g.Slice(_groupOffsets[k], table.Cols);
                var groupIds = rowIds.Slice(_groupFirstSlot[k], _groupSlots[k]);
                if (_groupSlots[k] == 1)
                {
                    var gradRow = table.GradRow(groupIds[0]);
                    TensorPrimitives.Add(gradRow, dGroup, gradRow);
                    table.TouchedRows!.Add(groupIds[0]);
                    continue;
                }
                int n = 0;
                foreach (int id in groupIds) if (id != 0) n++;
                if (n == 0) continue;
                foreach (int id in groupIds)
                {
                    if (id == 0) continue;
                    var gradRow = table.GradRow(id);
                    TensorPrimitives.MultiplyAdd(dGroup, 1f / n, gradRow, gradRow);
                    table.TouchedRows!.Add(id);
                }
            }
        }
    }
}
