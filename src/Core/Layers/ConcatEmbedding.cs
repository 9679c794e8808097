using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b, off(s) .. off(s)+d(s)] = T_{table(s)}[x[b,s], :]   for each slot s of a fixed-width row
// x: [batch, slots] ids   y: [batch, Σ_s d(s)]
// The tagger's window input (Collobert et al. 2011): each of the 2w+1 positions contributes its
// word, casing, affix... embeddings, each feature looked up in its own table shared across positions.
public sealed class ConcatEmbedding : IInputLayer<TokenBatch>
{
    private readonly int[] _slotTables;
    private readonly int[] _slotOffsets;

    public ConcatEmbedding(string name, IReadOnlyList<TableSpec> tables, IReadOnlyList<int> slotTables)
    {
        if (tables.Count == 0) throw new ArgumentException("At least one table is needed.", nameof(tables));
        Name = name;
        Tables = tables.Select(t => new Parameter(t.Name, t.Rows, t.Cols, sparseRows: true)).ToArray();
        _slotTables = slotTables.ToArray();
        _slotOffsets = new int[_slotTables.Length];
        int offset = 0;
        for (int s = 0; s < _slotTables.Length; s++)
        {
            if ((uint)_slotTables[s] >= (uint)Tables.Count)
                throw new ArgumentException($"Slot {s} names table {_slotTables[s]}, but there are {Tables.Count}.", nameof(slotTables));
            _slotOffsets[s] = offset;
            offset += Tables[_slotTables[s]].Cols;
        }
        OutputSize = offset;
    }

    public string Name { get; }
    public IReadOnlyList<Parameter> Tables { get; }
    public int Slots => _slotTables.Length;
    public int OutputSize { get; }
    public IReadOnlyList<Parameter> Parameters => Tables;
    public IReadOnlyList<int> SlotTables => _slotTables;
    public InputSpec Spec => new("concat-embedding", Name, OutputSize,
        Tables.Select(t => new TableSpec(t.Name, t.Rows, t.Cols)).ToArray(), _slotTables);

    public void Initialize(SeededRandom random)
    {
        foreach (var table in Tables) random.FillGaussian(table.Value, 0.1f);
    }

    public void Forward(in TokenBatch x, Span<float> y, InputScratch scratch, PassContext context)
    {
        var ids = x.Ids.Span;
        int slots = Slots;
        if (ids.Length != x.Rows * slots)
            throw new ArgumentException($"Input '{Name}' expects rows of {slots} ids; got {ids.Length} ids for {x.Rows} rows.");
        for (int b = 0; b < x.Rows; b++)
        {
            var row = y.Slice(b * OutputSize, OutputSize);
            for (int s = 0; s < slots; s++)
            {
                var table = Tables[_slotTables[s]];
                table.Row(ids[b * slots + s]).CopyTo(row.Slice(_slotOffsets[s], table.Cols));
            }
        }
    }

    public void Backward(in TokenBatch x, ReadOnlySpan<float> dY, InputScratch scratch)
    {
        var ids = x.Ids.Span;
        int slots = Slots;
        for (int b = 0; b < x.Rows; b++)
        {
            var g = dY.Slice(b * OutputSize, OutputSize);
            for (int s = 0; s < slots; s++)
            {
                var table = Tables[_slotTables[s]];
                if (table.Frozen) continue;
                int id = ids[b * slots + s];
                var gradRow = table.GradRow(id);
                System.Numerics.Tensors.TensorPrimitives.Add(gradRow, g.Slice(_slotOffsets[s], table.Cols), gradRow);
                table.TouchedRows!.Add(id);
            }
        }
    }
}
