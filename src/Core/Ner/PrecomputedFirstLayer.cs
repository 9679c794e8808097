using System.Numerics.Tensors;
using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Ner;

/// <summary>
/// Inference fast path of the window tagger (Collobert et al. 2011's lookup-table trick): the first
/// dense layer is linear in the concatenated window, so its pre-activation is a sum over slots of
/// per-slot projections, h = bias + Σ_s T_{table(s)}[id_s] · W[block s]. The projections of the most
/// frequent rows of every table are computed once at load, turning a (slots·dim × H) product per token
/// into one vector add per slot. Rare ids (beyond the cached rows) are projected on the fly. The cached projections
/// are kept in half precision (half the memory, half the bytes fetched per token), so results equal the plain
/// network's to about three significant digits (tested; dev F1 unchanged, see models/ner.md).
/// </summary>
/// <remarks>
/// The cache is laid out token-major: for each token feature (word, shape, suffix…) and id, the projections
/// through all 2w+1 window positions are one contiguous block [2w+1, H]. A token then fetches one block per
/// feature and adds its parts to the 2w+1 rows whose windows contain it, instead of every row gathering
/// 2w+1 scattered rows per feature: a few sequential reads instead of many random ones, over a cache of
/// tens of MB. Tagger inputs beyond the window (sentence context, characters, other mentions) are computed
/// by the input layer itself and go through one product over their columns.
/// </remarks>
internal sealed class PrecomputedFirstLayer
{
    private readonly TaggerInput _tagger;
    private readonly ConcatEmbedding _input;
    private readonly Dense _dense;
    private readonly int _window, _perToken;
    private readonly TokenFeature[] _tokenFeatures; // single-id features, cached token-major
    private readonly int[] _bagGroups;              // groups of several slots (character n-gram bags): averaged, projected per call

    /// <summary>A token feature k (its id at slot p·PerToken + k of every window position p) and its cached projections.</summary>
    /// <param name="Blocks">[CachedRows, (2w+1)·H]: row id's projection through the W block of each window position, in half
    /// precision, the last position first: token j at position p lands in row j + w − p, so a token's parts in this order
    /// go to consecutive rows, and its whole block is one add over them.</param>
    /// <param name="Weights">[d, (2w+1)·H]: the W blocks of the feature's window positions side by side (last first, as in
    /// Blocks), so that the blocks of the rare ids of a batch (beyond the cached rows) are one product.</param>
    private sealed record TokenFeature(int K, Parameter Table, int CachedRows, Half[] Blocks, float[] Weights);

    /// <summary>The layer index of the dense layer this replaces (layers before it are inference no-ops).</summary>
    public int DenseIndex { get; }

    public long Bytes => _tokenFeatures.Sum(f => (long)f.Blocks.Length * 2) + (long)_charCache.Length * sizeof(float);

    private readonly int _casedSlot = -1;
    private readonly float[] _charCache = []; // [cased words, H]: each word's character features, projected
    private readonly bool[] _charCached = [];

    private const int RowsPerChunk = 256;

    private PrecomputedFirstLayer(TaggerInput tagger, TaggerFeatures features, Dense dense, int denseIndex, int maxRowsPerTable)
    {
        var input = tagger.Window;
        _tagger = tagger;
        _input = input;
        if (tagger.Chars is not null && features.CasedWords is not null)
            (_casedSlot, _charCache, _charCached) = CacheChars(tagger, features, dense, maxRowsPerTable);
        _dense = dense;
        DenseIndex = denseIndex;
        _window = features.Settings.Window;
        _perToken = features.PerToken;
        int h = dense.OutputSize, positions = 2 * _window + 1;
        var groupOfSlot = input.SlotGroups;
        var tokenFeatures = new List<TokenFeature>();
        var bags = new List<int>();
        for (int k = 0; k < _perToken; k++)
        {
            if (input.Group(groupOfSlot[k]).Slots != 1) continue; // part of a bag
            var table = input.Tables[input.Group(groupOfSlot[k]).Table];
            int rows = Math.Min(table.Rows, maxRowsPerTable);
            int d = table.Cols;
            var weights = new float[d * positions * h];
            for (int p = 0; p < positions; p++)
            {
                int offset = input.Group(groupOfSlot[p * _perToken + k]).Offset;
                for (int i = 0; i < d; i++)
                    dense.Weight.Value.AsSpan((offset + i) * h, h).CopyTo(weights.AsSpan((i * positions + positions - 1 - p) * h, h));
            }
            // [rows, d] · [d, (2w+1)·H] → every cached id's block, a few hundred rows at a time so that loading never
            // holds the float blocks of a whole table (they would double the process's peak memory).
            int block = positions * h;
            var blocks = new Half[rows * block];
            var chunk = new float[Math.Min(rows, RowsPerChunk) * block];
            for (int first = 0; first < rows; first += RowsPerChunk)
            {
                int count = Math.Min(RowsPerChunk, rows - first);
                MatMul.Multiply(table.Value.AsSpan(first * d, count * d), weights, chunk, count, d, block);
                HalfRows.ToHalf(chunk.AsSpan(0, count * block), blocks.AsSpan(first * block, count * block));
            }
            tokenFeatures.Add(new TokenFeature(k, table, rows, blocks, weights));
        }
        for (int g = 0; g < input.Groups; g++)
            if (input.Group(g).Slots > 1) bags.Add(g);
        _tokenFeatures = tokenFeatures.ToArray();
        _bagGroups = bags.ToArray();
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
        int slot = features.Settings.Window * features.PerToken + features.CasedSlot; // the centre token's cased word id
        return (slot, cache, cached);
    }

    /// <summary>The fast path for this network, or null if its shape does not allow it.</summary>
    public static PrecomputedFirstLayer? TryCreate(Models.Classifier<TaggerBatch> network, TaggerFeatures features, int maxRowsPerTable)
    {
        if (network.Input is not TaggerInput input || maxRowsPerTable <= 0 || network.FirstDenseLayer() is not var (dense, index)) return null;
        return new PrecomputedFirstLayer(input, features, dense, index, maxRowsPerTable);
    }

    /// <summary>h [rows, H] = f(bias + Σ_g projection_g(ids) + extras·W[extra rows]) for a batch.</summary>
    public void Forward(in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows, width = _dense.OutputSize;
        var sentences = batch.Sentences.Span;
        if (rows > 0 && (sentences.Length < 2 || sentences[0] != 0 || sentences[^1] != rows))
            throw new ArgumentException("The fast path needs the batch's sentence offsets: a window never crosses a sentence.", nameof(batch));
        for (int r = 0; r < rows; r++) _dense.Bias.Value.CopyTo(h.Slice(r * width, width));
        foreach (var feature in _tokenFeatures) AddWindows(feature, batch, scratch, h);
        if (_bagGroups.Length > 0) AddBags(batch, h);
        if (_tagger.OutputSize > _input.OutputSize) AddExtras(batch, scratch, h[..(rows * width)]);
        ActivationFunctions.Apply(_dense.Activation, h[..(rows * width)]);
    }

    // Scratch buffers of the window features.
    private const int RareIndex = 22, RareRows = 23, RareBlocks = 24, RareSeen = 25;

    // One feature's share of every row: token j sits at window position p of row j + w − p, if that row is in j's
    // sentence; the other positions of a row near the sentence edges hold padding ids.
    private void AddWindows(TokenFeature feature, in TaggerBatch batch, InputScratch scratch, Span<float> h)
    {
        int rows = batch.Rows, slots = batch.Slots, width = _dense.OutputSize, w = _window, positions = 2 * w + 1;
        int block = positions * width, centre = w * _perToken + feature.K, d = feature.Table.Cols;
        var ids = batch.Windows.Span;
        var sentences = batch.Sentences.Span;

        // The ids beyond the cache, all of the batch in one product: [m, d] · [d, (2w+1)·H], each distinct id once (a
        // name recurs in a document: a fifth of a 64-sentence batch's rare words are repeats).
        var rareIndex = scratch.Ints(RareIndex, rows);
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * rows + 2));
        var seen = scratch.Ints(RareSeen, 2 * capacity); // open addressing: [slot] = id + 1 (0: empty), [capacity + slot] = its index
        seen[..capacity].Clear();
        int m = 0;
        for (int j = 0; j < rows; j++)
        {
            int id = ids[j * slots + centre];
            if (id < feature.CachedRows) { rareIndex[j] = -1; continue; }
            int slot = (int)(((uint)id * 2654435769u) >> 7) & (capacity - 1);
            while (seen[slot] != 0 && seen[slot] != id + 1) slot = (slot + 1) & (capacity - 1);
            if (seen[slot] == 0) { seen[slot] = id + 1; seen[capacity + slot] = m++; }
            rareIndex[j] = seen[capacity + slot];
        }
        var rareBlocks = scratch.Floats(RareBlocks, m * block);
        if (m > 0)
        {
            var rareRows = scratch.Floats(RareRows, m * d);
            for (int j = 0; j < rows; j++)
                if (rareIndex[j] >= 0) feature.Table.Row(ids[j * slots + centre]).CopyTo(rareRows.Slice(rareIndex[j] * d, d));
            MatMul.Multiply(rareRows, feature.Weights, rareBlocks, m, d, block);
        }

        for (int s = 0; s + 1 < sentences.Length; s++)
        {
            int start = sentences[s], end = sentences[s + 1];
            for (int j = start; j < end; j++)
            {
                // The cached blocks are scattered over tens of MB: ask for the next token's now, so that its cache
                // misses overlap with this token's additions.
                if (j + 1 < end && rareIndex[j + 1] < 0)
                    CacheHints.Prefetch(feature.Blocks.AsSpan(ids[(j + 1) * slots + centre] * block, block));
                // Positions pFirst..pLast (those whose rows are in the sentence) land in the consecutive rows
                // j + w − pLast .. j + w − pFirst, and their parts are consecutive in the block (last position first).
                int pFirst = Math.Max(0, j + w - end + 1), pLast = Math.Min(positions - 1, j + w - start);
                int count = (pLast - pFirst + 1) * width, part = (positions - 1 - pLast) * width;
                var windowRows = h.Slice((j + w - pLast) * width, count);
                if (rareIndex[j] < 0) HalfRows.Add(windowRows, feature.Blocks.AsSpan(ids[j * slots + centre] * block + part, count));
                else TensorPrimitives.Add(windowRows, rareBlocks.Slice(rareIndex[j] * block + part, count), windowRows);
            }
            // Window positions beyond the sentence hold the padding id 0 (always cached): its projections.
            for (int r = start; r < end; r++)
                for (int p = 0; p < positions; p++)
                {
                    if (r + p - w >= start && r + p - w < end) continue;
                    HalfRows.Add(h.Slice(r * width, width), feature.Blocks.AsSpan((positions - 1 - p) * width, width));
                }
        }
    }

    // Bags of ids (character n-grams): averaged per row, then projected.
    private void AddBags(in TaggerBatch batch, Span<float> h)
    {
        int width = _dense.OutputSize;
        var ids = batch.Windows.Span;
        Span<float> mean = stackalloc float[_input.Tables.Max(t => t.Cols)];
        var weights = _dense.Weight.Value;
        for (int b = 0; b < batch.Rows; b++)
        {
            var row = h.Slice(b * width, width);
            var rowIds = ids.Slice(b * batch.Slots, batch.Slots);
            foreach (int g in _bagGroups)
            {
                var (first, count, tableIndex, offset) = _input.Group(g);
                var table = _input.Tables[tableIndex];
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
                MatMul.Multiply(bag, weights.AsSpan(offset * width, table.Cols * width), row, 1, table.Cols, width, accumulate: true);
            }
        }
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
