using System.Numerics.Tensors;
using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;

namespace ServeNet.Core.Ner;

/// <summary>
/// Inference fast path of the window tagger (Collobert et al. 2011's lookup-table trick): the first
/// dense layer is linear in the concatenated window, so its pre-activation is a sum over slots of
/// per-slot projections, h = bias + Σ_s T_{table(s)}[id_s] · W[block s]. The projections of the most
/// frequent rows of every table are computed once at load ([rows, H] per slot), turning a
/// (slots·dim × H) product per token into one vector add per slot. Rare ids (beyond the cached rows)
/// are projected on the fly. Results equal the plain network's up to float rounding (tested).
/// </summary>
/// Tagger inputs beyond the window (sentence context, characters, other mentions) are computed by the input
/// layer itself and go through one product over their columns.
internal sealed class PrecomputedFirstLayer
{
    private readonly TaggerInput _tagger;
    private readonly ConcatEmbedding _input;
    private readonly Dense _dense;
    private readonly float[][] _projections; // per single-slot group: [cachedRows(group), H]
    private readonly int[] _cachedRows;

    /// <summary>The layer index of the dense layer this replaces (layers before it are inference no-ops).</summary>
    public int DenseIndex { get; }

    public long Bytes => _projections.Sum(p => (long)p.Length * sizeof(float));

    private PrecomputedFirstLayer(TaggerInput tagger, Dense dense, int denseIndex, int maxRowsPerTable)
    {
        var input = tagger.Window;
        _tagger = tagger;
        _input = input;
        _dense = dense;
        DenseIndex = denseIndex;
        int h = dense.OutputSize;
        _projections = new float[input.Groups][];
        _cachedRows = new int[input.Groups];
        for (int g = 0; g < input.Groups; g++)
        {
            var (_, slots, tableIndex, offset) = input.Group(g);
            var table = input.Tables[tableIndex];
            // Bags (several slots) are averaged first and projected per call; single ids are cached.
            int rows = slots == 1 ? Math.Min(table.Rows, maxRowsPerTable) : 0;
            _cachedRows[g] = rows;
            _projections[g] = new float[rows * h];
            if (rows == 0) continue;
            // [rows, d] · W[offset .. offset+d, :] → [rows, H]
            MatMul.Multiply(table.Value.AsSpan(0, rows * table.Cols), dense.Weight.Value.AsSpan(offset * h, table.Cols * h),
                _projections[g], rows, table.Cols, h);
        }
    }

    /// <summary>The fast path for this network, or null if its shape does not allow it.</summary>
    public static PrecomputedFirstLayer? TryCreate(Models.Classifier<TaggerBatch> network, int maxRowsPerTable)
    {
        if (network.Input is not TaggerInput input || maxRowsPerTable <= 0) return null;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            switch (network.Layers[i])
            {
                case Dropout: continue; // the identity at inference
                case Dense dense: return new PrecomputedFirstLayer(input, dense, i, maxRowsPerTable);
                default: return null;
            }
        }
        return null;
    }

    private void Prefetch(ReadOnlySpan<int> rowIds, int width)
    {
        for (int g = 0; g < _projections.Length; g++)
        {
            int id = rowIds[_input.Group(g).FirstSlot];
            if (_input.Group(g).Slots != 1 || id >= _cachedRows[g]) continue;
            CacheHints.Prefetch(_projections[g].AsSpan(id * width, width));
        }
    }

    /// <summary>h [rows, H] = f(bias + Σ_g projection_g(ids) + extras·W[extra rows]) for a batch.</summary>
    public void Forward(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows;
        var ids = batch.Windows.Span;
        int slots = _input.Slots, width = _dense.OutputSize;
        var bias = _dense.Bias.Value;
        Span<float> mean = stackalloc float[_input.Tables.Max(t => t.Cols)];
        var weights = _dense.Weight.Value;
        for (int b = 0; b < rows; b++)
        {
            var row = h.Slice(b * width, width);
            var rowIds = ids.Slice(b * slots, slots);
            // The cached rows of a window are scattered over tens of MB: ask for the next window's
            // rows now so that their cache misses overlap with this window's additions.
            if (b + 1 < rows) Prefetch(ids.Slice((b + 1) * slots, slots), width);
            bias.CopyTo(row);
            for (int g = 0; g < _projections.Length; g++)
            {
                var (first, count, tableIndex, offset) = _input.Group(g);
                var table = _input.Tables[tableIndex];
                var block = weights.AsSpan(offset * width, table.Cols * width); // W rows of this slot: [d, H]
                if (count == 1)
                {
                    int id = rowIds[first];
                    if (id < _cachedRows[g]) TensorPrimitives.Add(row, _projections[g].AsSpan(id * width, width), row);
                    else MatMul.Multiply(table.Row(id), block, row, 1, table.Cols, width, accumulate: true);
                    continue;
                }
                var bag = mean[..table.Cols];
                bag.Clear();
                int n = 0;
                foreach (int id in rowIds.Slice(first, count))
                {
                    if (id == 0) continue;
                    TensorPrimitives.Add(bag, table.Row(id), bag);
                    n++;
                }
                if (n == 0) continue;
                TensorPrimitives.Multiply(bag, 1f / n, bag);
                MatMul.Multiply(bag, block, row, 1, table.Cols, width, accumulate: true);
            }
        }
        if (_tagger.OutputSize > _input.OutputSize) AddExtras(batch, scratch, h[..(rows * width)]);
        ActivationFunctions.Apply(_dense.Activation, h[..(rows * width)]);
    }

    // Scratch buffers beyond the ones the input layer uses.
    private const int ExtraInput = 16, ExtraColumns = 17, ExtraProjected = 18, ExtraCounts = 16, ExtraRows = 17;

    // h += [context | characters](x)·W[their rows] for every row, and mentions(x)·W[mention rows] for the rows whose
    // word has other mentions (most rows of a short text have none: their pooled block is zero and skipped).
    private void AddExtras(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows, width = _dense.OutputSize, full = _tagger.OutputSize;
        var x = scratch.Floats(ExtraInput, rows * full);
        _tagger.Forward(batch, x, scratch, PassContext.Inference);
        var weights = _dense.Weight.Value.AsSpan();
        int first = _tagger.ContextOffset, middle = _tagger.MentionOffset - first;
        if (middle > 0)
        {
            var columns = scratch.Floats(ExtraColumns, rows * middle);
            for (int b = 0; b < rows; b++) x.Slice(b * full + first, middle).CopyTo(columns.Slice(b * middle, middle));
            MatMul.Multiply(columns, weights.Slice(first * width, middle * width), h, rows, middle, width, accumulate: true);
        }
        if (!_tagger.Mentions) return;
        int pooled = full - _tagger.MentionOffset;
        var leaders = batch.Mentions.Span;
        var counts = scratch.Ints(ExtraCounts, rows);
        counts.Clear();
        foreach (int leader in leaders) if (leader >= 0) counts[leader]++;
        var selected = scratch.Ints(ExtraRows, rows);
        int m = 0;
        for (int b = 0; b < rows; b++) if (leaders[b] >= 0 && counts[leaders[b]] > 1) selected[m++] = b;
        if (m == 0) return;
        var gathered = scratch.Floats(ExtraColumns, m * pooled);
        for (int i = 0; i < m; i++) x.Slice(selected[i] * full + _tagger.MentionOffset, pooled).CopyTo(gathered.Slice(i * pooled, pooled));
        var projected = scratch.Floats(ExtraProjected, m * width);
        MatMul.Multiply(gathered, weights.Slice(_tagger.MentionOffset * width, pooled * width), projected, m, pooled, width);
        for (int i = 0; i < m; i++)
        {
            var row = h.Slice(selected[i] * width, width);
            TensorPrimitives.Add(row, projected.Slice(i * width, width), row);
        }
    }
}
