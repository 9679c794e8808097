using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// left[t,:] = Σ_{i<t} α^{t−1−i}·E[w_i,:]    right[t,:] = Σ_{i>t} α^{i−t−1}·E[w_i,:]    (within each sentence)
// ids: [rows] word ids   sentences: row offsets [S + 1]   y: [rows, stride], left at columns offset.., right after it
// Fixed-size ordinally forgetting encodings (Xu, Jiang & Watcharawittayakul 2017) of the whole left and right
// context of each token: z_t = α·z_{t−1} + e(w_t), one pass per direction; the word table is shared with the window.
public sealed class FofeContext(Parameter table, float alpha)
{
    public Parameter Table { get; } = table;
    public float Alpha { get; } = alpha;
    public int OutputSize => 2 * Table.Cols;

    public void Forward(ReadOnlySpan<int> ids, ReadOnlySpan<int> sentences, Span<float> y, int stride, int offset)
    {
        int d = Table.Cols;
        for (int s = 0; s + 1 < sentences.Length; s++)
        {
            int first = sentences[s], end = sentences[s + 1];
            if (end == first) continue;
            // left[first] = 0; left[t] = α·left[t−1] + E[w_{t−1}]
            var previous = y.Slice(first * stride + offset, d);
            previous.Clear();
            for (int t = first + 1; t < end; t++)
            {
                var current = y.Slice(t * stride + offset, d);
                TensorPrimitives.MultiplyAdd(previous, Alpha, Table.Row(ids[t - 1]), current);
                previous = current;
            }
            // right[end−1] = 0; right[t] = α·right[t+1] + E[w_{t+1}]
            var next = y.Slice((end - 1) * stride + offset + d, d);
            next.Clear();
            for (int t = end - 2; t >= first; t--)
            {
                var current = y.Slice(t * stride + offset + d, d);
                TensorPrimitives.MultiplyAdd(next, Alpha, Table.Row(ids[t + 1]), current);
                next = current;
            }
        }
    }

    // dE[w_i] += Σ_{t>i} α^{t−1−i}·dLeft[t] + Σ_{t<i} α^{i−t−1}·dRight[t], accumulated backwards/forwards in g [d].
    public void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<int> sentences, ReadOnlySpan<float> dY, int stride, int offset, Span<float> g)
    {
        if (Table.Frozen) return;
        int d = Table.Cols;
        g = g[..d];
        var touched = Table.TouchedRows;
        for (int s = 0; s + 1 < sentences.Length; s++)
        {
            int first = sentences[s], end = sentences[s + 1];
            g.Clear();
            for (int i = end - 1; i >= first; i--)
            {
                var row = Table.GradRow(ids[i]);
                TensorPrimitives.Add(row, g, row);
                touched?.Add(ids[i]);
                TensorPrimitives.MultiplyAdd(g, Alpha, dY.Slice(i * stride + offset, d), g);
            }
            g.Clear();
            for (int i = first; i < end; i++)
            {
                var row = Table.GradRow(ids[i]);
                TensorPrimitives.Add(row, g, row);
                TensorPrimitives.MultiplyAdd(g, Alpha, dY.Slice(i * stride + offset + d, d), g);
            }
        }
    }
}
