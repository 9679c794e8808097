using System.Numerics.Tensors;
using ServeNet.Core.Kernels;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// u[p,f] = b[f] + Σ_{j<k} Σ_e C[c_{p+j−k/2}, e]·K[j·E + e, f]     y[t,f] = max over the positions p of token t of u[p,f]
// chars: ids per token (offsets [rows + 1], 0 = padding beyond the token's edges)   C: [charVocab, E]   K: [k·E, F]   y: [rows, stride] at offset
// A character convolution with max-pooling over each word (Ma & Hovy 2016), written as one GEMM over every
// position of the batch: the im2col rows [positions, k·E] times K. Words longer than MaxChars keep their first
// and last MaxChars/2 characters.
public sealed class CharConvolution
{
    public CharConvolution(string name, int charRows, int charDimension, int width, int filters, int maxChars)
    {
        if (width % 2 == 0) throw new ArgumentException($"The character window must be odd; got {width}.", nameof(width));
        Name = name;
        Chars = new Parameter($"{name}.chars", charRows, charDimension, sparseRows: true);
        Kernel = new Parameter($"{name}.kernel", width * charDimension, filters);
        Bias = new Parameter($"{name}.bias", 1, filters);
        Width = width;
        MaxChars = maxChars;
    }

    public string Name { get; }
    public Parameter Chars { get; }
    public Parameter Kernel { get; }
    public Parameter Bias { get; }
    public int Width { get; }
    public int MaxChars { get; }
    public int OutputSize => Kernel.Cols;
    public IReadOnlyList<Parameter> Parameters => [Chars, Kernel, Bias];

    public void Initialize(SeededRandom random)
    {
        random.FillGaussian(Chars.Value, 0.1f);
        Initializers.GlorotUniform(Kernel.Value, Kernel.Rows, Kernel.Cols, random);
        Array.Clear(Bias.Value);
    }

    /// <summary>Positions (im2col rows) of a batch: one per kept character, at least one per token.</summary>
    public int Positions(ReadOnlySpan<int> charOffsets, int rows)
    {
        int total = 0;
        for (int t = 0; t < rows; t++) total += Math.Max(1, Math.Min(MaxChars, charOffsets[t + 1] - charOffsets[t]));
        return total;
    }

    /// <param name="columns">[Positions, k·E] scratch, kept for backward.</param>
    /// <param name="u">[Positions, F] scratch.</param>
    /// <param name="argmax">[rows, F] scratch: the position each output came from, kept for backward.</param>
    public void Forward(ReadOnlySpan<int> chars, ReadOnlySpan<int> charOffsets, int rows, Span<float> columns, Span<float> u,
        Span<int> argmax, Span<float> y, int stride, int offset)
    {
        int e = Chars.Cols, k = Width, f = OutputSize, positions = Positions(charOffsets, rows);
        int p = 0;
        for (int t = 0; t < rows; t++)
        {
            var word = Kept(chars, charOffsets, t, out int skip);
            int n = Math.Max(1, word.Length - skip);
            for (int i = 0; i < n; i++, p++)
            {
                var row = columns.Slice(p * k * e, k * e);
                for (int j = 0; j < k; j++)
                {
                    int c = CharAt(word, skip, i + j - k / 2);
                    if (c == 0) row.Slice(j * e, e).Clear(); // beyond the word: zero, not a learned row
                    else Chars.Row(c).CopyTo(row.Slice(j * e, e));
                }
            }
        }
        MatMul.Multiply(columns[..(positions * k * e)], Kernel.Value, u[..(positions * f)], positions, k * e, f, bias: Bias.Value);
        p = 0;
        for (int t = 0; t < rows; t++)
        {
            int n = Math.Max(1, Math.Min(MaxChars, charOffsets[t + 1] - charOffsets[t]));
            var output = y.Slice(t * stride + offset, f);
            var from = argmax.Slice(t * f, f);
            u.Slice(p * f, f).CopyTo(output);
            from.Fill(p);
            for (int i = 1; i < n; i++)
            {
                var candidate = u.Slice((p + i) * f, f);
                for (int o = 0; o < f; o++)
                {
                    if (candidate[o] <= output[o]) continue;
                    output[o] = candidate[o];
                    from[o] = p + i;
                }
            }
            p += n;
        }
    }

    /// <param name="dU">[Positions, F] scratch.</param>
    /// <param name="dColumns">[Positions, k·E] scratch.</param>
    public void Backward(ReadOnlySpan<int> chars, ReadOnlySpan<int> charOffsets, int rows, ReadOnlySpan<float> columns,
        ReadOnlySpan<int> argmax, ReadOnlySpan<float> dY, int stride, int offset, Span<float> dU, Span<float> dColumns)
    {
        int e = Chars.Cols, k = Width, f = OutputSize, positions = Positions(charOffsets, rows);
        dU = dU[..(positions * f)];
        dU.Clear();
        for (int t = 0; t < rows; t++)
        {
            var g = dY.Slice(t * stride + offset, f);
            for (int o = 0; o < f; o++) dU[argmax[t * f + o] * f + o] += g[o];
        }
        // dK += colsᵀ·dU   db += Σ_p dU[p,:]   dCols = dU·Kᵀ
        MatMul.MultiplyTransposedA(columns[..(positions * k * e)], dU, Kernel.Grad, k * e, positions, f, accumulate: true);
        var dBias = Bias.Grad.AsSpan();
        for (int q = 0; q < positions; q++) TensorPrimitives.Add(dBias, dU.Slice(q * f, f), dBias);
        if (Chars.Frozen) return;
        dColumns = dColumns[..(positions * k * e)];
        MatMul.MultiplyTransposedB(dU, Kernel.Value, dColumns, positions, f, k * e);
        int p = 0;
        for (int t = 0; t < rows; t++)
        {
            var word = Kept(chars, charOffsets, t, out int skip);
            int n = Math.Max(1, word.Length - skip);
            for (int i = 0; i < n; i++, p++)
            {
                for (int j = 0; j < k; j++)
                {
                    int c = CharAt(word, skip, i + j - k / 2);
                    if (c == 0) continue; // padding stays zero
                    var gradRow = Chars.GradRow(c);
                    TensorPrimitives.Add(gradRow, dColumns.Slice(p * k * e + j * e, e), gradRow);
                    Chars.TouchedRows!.Add(c);
                }
            }
        }
    }

    // The token's characters; for a long word, "skip" characters after the first MaxChars/2 are left out.
    private ReadOnlySpan<int> Kept(ReadOnlySpan<int> chars, ReadOnlySpan<int> charOffsets, int t, out int skip)
    {
        var word = chars[charOffsets[t]..charOffsets[t + 1]];
        skip = Math.Max(0, word.Length - MaxChars);
        return word;
    }

    // Character i of the kept sequence (head MaxChars/2, then the tail), 0 outside it.
    private int CharAt(ReadOnlySpan<int> word, int skip, int i)
    {
        int kept = word.Length - skip;
        if (i < 0 || i >= kept) return 0;
        return i < MaxChars / 2 || skip == 0 ? word[i] : word[i + skip];
    }
}
