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

    public long Bytes => _projections.Sum(p => (long)p.Length * sizeof(float)) + (long)_charCache.Length * sizeof(float);

    private readonly int _casedSlot = -1;
    private readonly float[] _charCache = []; // [cased words, H]: each word's character features, projected
    private readonly bool[] _charCached = [];

    private PrecomputedFirstLayer(TaggerInput tagger, TaggerFeatures features, Dense dense, int denseIndex, int maxRowsPerTable)
    {
        var input = tagger.Window;
        _tagger = tagger;
        _input = input;
        if (tagger.Chars is not null && features.CasedWords is not null)
            (_casedSlot, _charCache, _charCached) = CacheChars(tagger, features, dense, maxRowsPerTable);
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

    // The character features of the most frequent cased words, projected through the first layer: [words, H]. Digit-shape
    // entries ("0000") stand for many spellings and are not cached.
    private static (int Slot, float[] Cache, bool[] Cached) CacheChars(TaggerInput tagger, TaggerFeatures features, Dense dense, int maxRows)
    {
        var conv = tagger.Chars!;
        var cased = features.CasedWords!;
        int words = Math.Min(cased.Count, maxRows), width = dense.OutputSize, f = conv.OutputSize;
        var cached = new bool[words];
        var chars = new List<int>();
        var offsets = new List<int> { 0 };
        var buffer = new int[64];
        for (int id = 0; id < words; id++)
        {
            string word = cased.WordOf(id);
            cached[id] = id >= 2 && !word.Any(char.IsDigit) && word.Length <= buffer.Length;
            if (cached[id]) chars.AddRange(buffer.AsSpan(0, features.CharIds(word, buffer)).ToArray());
            offsets.Add(chars.Count);
        }
        var scratch = new InputScratch();
        var y = new float[words * f];
        ConvolveWords(conv, chars.ToArray(), offsets.ToArray(), words, y, scratch);
        var cache = new float[words * width];
        MatMul.Multiply(y, dense.Weight.Value.AsSpan(tagger.CharOffset * width, f * width), cache, words, f, width);
        int slot = features.Settings.Window * features.PerToken + features.PerToken - 1; // the centre token's cased word id
        return (slot, cache, cached);
    }

    /// <summary>The fast path for this network, or null if its shape does not allow it.</summary>
    public static PrecomputedFirstLayer? TryCreate(Models.Classifier<TaggerBatch> network, TaggerFeatures features, int maxRowsPerTable)
    {
        if (network.Input is not TaggerInput input || maxRowsPerTable <= 0) return null;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            switch (network.Layers[i])
            {
                case Dropout: continue; // the identity at inference
                case Dense dense: return new PrecomputedFirstLayer(input, features, dense, i, maxRowsPerTable);
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
    private const int ExtraColumns = 16, ExtraProjected = 17, ExtraPooled = 18, ExtraSelected = 16, ExtraLeaders = 17,
        ExtraCounts = 18, ExtraWindows = 19, ExtraChars = 20, ExtraCharOffsets = 21;

    // h += context(x)·W[context rows] + chars(x)·W[char rows] + mentions(x)·W[mention rows], each computed only where
    // needed: characters of words in the cased vocabulary come from a cache, and the mention pool only for rows whose
    // word has other mentions (most rows of a short text have none: their pooled block is zero).
    private void AddExtras(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows, width = _dense.OutputSize;
        var weights = _dense.Weight.Value.AsSpan();
        if (_tagger.Context is { } context)
        {
            int d = context.OutputSize;
            var ids = scratch.Ints(ExtraSelected, rows);
            var windows = batch.Windows.Span;
            for (int t = 0; t < rows; t++) ids[t] = windows[t * batch.Slots + _tagger.CentreWordSlot];
            var columns = scratch.Floats(ExtraColumns, rows * d);
            context.Forward(ids, batch.Sentences.Span, columns, d, 0);
            MatMul.Multiply(columns, weights.Slice(_tagger.ContextOffset * width, d * width), h, rows, d, width, accumulate: true);
        }
        if (_tagger.Chars is not null) AddChars(batch, scratch, h);
        if (_tagger.Mentions) AddMentions(batch, scratch, h);
    }

    private void AddChars(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        var conv = _tagger.Chars!;
        int rows = batch.Rows, width = _dense.OutputSize, f = conv.OutputSize;
        var windows = batch.Windows.Span;
        var offsets = batch.CharOffsets.Span;
        var chars = batch.Chars.Span;
        var selected = scratch.Ints(ExtraSelected, rows);
        int m = 0, charCount = 0;
        for (int t = 0; t < rows; t++)
        {
            int cased = _casedSlot < 0 ? -1 : windows[t * batch.Slots + _casedSlot];
            if (cased >= 0 && cased < _charCache.Length / width && _charCached[cased])
            {
                var row = h.Slice(t * width, width);
                TensorPrimitives.Add(row, _charCache.AsSpan(cased * width, width), row);
                continue;
            }
            selected[m++] = t;
            charCount += offsets[t + 1] - offsets[t];
        }
        if (m == 0) return;
        // The rest: the convolution over just those tokens, then one product.
        var subChars = scratch.Ints(ExtraChars, charCount);
        var subOffsets = scratch.Ints(ExtraCharOffsets, m + 1);
        subOffsets[0] = 0;
        for (int i = 0; i < m; i++)
        {
            int t = selected[i], n = offsets[t + 1] - offsets[t];
            chars.Slice(offsets[t], n).CopyTo(subChars[subOffsets[i]..]);
            subOffsets[i + 1] = subOffsets[i] + n;
        }
        var features = scratch.Floats(ExtraColumns, m * f);
        ConvolveWords(conv, subChars, subOffsets, m, features, scratch);
        var projected = scratch.Floats(ExtraProjected, m * width);
        MatMul.Multiply(features, _dense.Weight.Value.AsSpan(_tagger.CharOffset * width, f * width), projected, m, f, width);
        for (int i = 0; i < m; i++)
        {
            var row = h.Slice(selected[i] * width, width);
            TensorPrimitives.Add(row, projected.Slice(i * width, width), row);
        }
    }

    // y [rows, F] = the convolution's max-pooled features of each word.
    private static void ConvolveWords(CharConvolution conv, ReadOnlySpan<int> chars, ReadOnlySpan<int> offsets, int rows, Span<float> y, InputScratch scratch)
    {
        int positions = conv.Positions(offsets, rows);
        conv.Forward(chars, offsets, rows, scratch.Floats(ExtraPooled, positions * conv.Kernel.Rows),
            scratch.Floats(ExtraProjected, positions * conv.OutputSize), scratch.Ints(ExtraWindows, rows * conv.OutputSize), y, conv.OutputSize, 0);
    }

    private void AddMentions(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows, width = _dense.OutputSize, d = _input.OutputSize, slots = batch.Slots;
        var leaders = batch.Mentions.Span;
        var counts = scratch.Ints(ExtraCounts, rows);
        counts.Clear();
        foreach (int leader in leaders) if (leader >= 0) counts[leader]++;
        // The rows with other mentions, renumbered 0..m−1 (leaders first in each group, as in the batch).
        var selected = scratch.Ints(ExtraSelected, rows);
        var local = scratch.Ints(ExtraLeaders, rows);
        int m = 0;
        for (int t = 0; t < rows; t++)
        {
            if (leaders[t] < 0 || counts[leaders[t]] < 2) continue;
            local[t] = m; // t's own index among the selected rows; a leader's is its group's
            selected[m++] = t;
        }
        if (m == 0) return;
        var windows = scratch.Ints(ExtraWindows, m * slots);
        var subLeaders = scratch.Ints(ExtraCharOffsets, m);
        for (int i = 0; i < m; i++)
        {
            batch.Windows.Span.Slice(selected[i] * slots, slots).CopyTo(windows.Slice(i * slots, slots));
            subLeaders[i] = local[leaders[selected[i]]];
        }
        var x = scratch.Floats(ExtraColumns, m * d);
        _input.Forward(windows, m, x, d, 0);
        var pooled = scratch.Floats(ExtraPooled, m * d);
        MentionPool.Forward(x, d, 0, d, subLeaders, m, scratch.Floats(ExtraProjected, m * d), scratch.Ints(ExtraCounts, m), pooled, d, 0);
        var projected = scratch.Floats(ExtraProjected, m * width);
        MatMul.Multiply(pooled, _dense.Weight.Value.AsSpan(_tagger.MentionOffset * width, d * width), projected, m, d, width);
        for (int i = 0; i < m; i++)
        {
            var row = h.Slice(selected[i] * width, width);
            TensorPrimitives.Add(row, projected.Slice(i * width, width), row);
        }
    }
}
