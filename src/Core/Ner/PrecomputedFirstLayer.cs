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
internal sealed unsafe class PrecomputedFirstLayer
{
    private readonly ConcatEmbedding _input;
    private readonly Dense _dense;
    private readonly float[][] _projections; // per slot: [cachedRows(slot), H]
    private readonly int[] _cachedRows;
    private readonly int[] _slotOffsets;

    /// <summary>The layer index of the dense layer this replaces (layers before it are inference no-ops).</summary>
    public int DenseIndex { get; }

    public long Bytes => _projections.Sum(p => (long)p.Length * sizeof(float));

    private PrecomputedFirstLayer(ConcatEmbedding input, Dense dense, int denseIndex, int maxRowsPerTable)
    {
        _input = input;
        _dense = dense;
        DenseIndex = denseIndex;
        int slots = input.Slots, h = dense.OutputSize;
        _projections = new float[slots][];
        _cachedRows = new int[slots];
        _slotOffsets = new int[slots];
        int offset = 0;
        for (int s = 0; s < slots; s++)
        {
            var table = input.Tables[input.SlotTables[s]];
            _slotOffsets[s] = offset;
            int rows = Math.Min(table.Rows, maxRowsPerTable);
            _cachedRows[s] = rows;
            // [rows, d] · W[offset .. offset+d, :] → [rows, H]
            _projections[s] = new float[rows * h];
            MatMul.Multiply(table.Value.AsSpan(0, rows * table.Cols), dense.Weight.Value.AsSpan(offset * h, table.Cols * h),
                _projections[s], rows, table.Cols, h);
            offset += table.Cols;
        }
    }

    /// <summary>The fast path for this network, or null if its shape does not allow it.</summary>
    public static PrecomputedFirstLayer? TryCreate(Models.Classifier<Tensors.TokenBatch> network, int maxRowsPerTable)
    {
        if (network.Input is not ConcatEmbedding input || maxRowsPerTable <= 0) return null;
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

    /// <summary>h [rows, H] = f(bias + Σ_s projection_s[id]) for window rows ids [rows, slots].</summary>
    public void Forward(ReadOnlySpan<int> ids, int rows, Span<float> h)
    {
        int slots = _input.Slots, width = _dense.OutputSize;
        var bias = _dense.Bias.Value;
        fixed (float* weights = _dense.Weight.Value)
        {
            for (int b = 0; b < rows; b++)
            {
                var row = h.Slice(b * width, width);
                bias.CopyTo(row);
                for (int s = 0; s < slots; s++)
                {
                    int id = ids[b * slots + s];
                    if (id < _cachedRows[s])
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(row, _projections[s].AsSpan(id * width, width), row);
                        continue;
                    }
                    var table = _input.Tables[_input.SlotTables[s]];
                    fixed (float* embedding = &table.Value[id * table.Cols])
                    fixed (float* output = row)
                        RowTimesMatrix.Run(embedding, table.Cols, weights + _slotOffsets[s] * width, width, output, width, accumulate: true);
                }
                ActivationFunctions.Apply(_dense.Activation, row);
            }
        }
    }
}
