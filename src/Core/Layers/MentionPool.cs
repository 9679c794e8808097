using System.Numerics.Tensors;

namespace ServeNet.Core.Layers;

// y[t,:] = (Σ_{s ∈ M(t), s ≠ t} x[s,:]) / (|M(t)| − 1), zero when t has no other mention
// leaders: [rows] the first row of t's mention group (−1: none)   x, y: [rows, stride] blocks of width d
// Document-level consistency (Ratinov & Roth 2009's non-local features, learned): each token sees the mean
// input of the other mentions of the same word in its document. No parameters.
public static class MentionPool
{
    /// <param name="sums">[rows, d] scratch: group sums at each leader's row; counts [rows] likewise.</param>
    public static void Forward(ReadOnlySpan<float> x, int xStride, int xOffset, int d, ReadOnlySpan<int> leaders, int rows,
        Span<float> sums, Span<int> counts, Span<float> y, int yStride, int yOffset)
    {
        Accumulate(x, xStride, xOffset, d, leaders, rows, sums, counts);
        for (int t = 0; t < rows; t++)
        {
            var output = y.Slice(t * yStride + yOffset, d);
            int leader = leaders[t];
            if (leader < 0 || counts[leader] < 2)
            {
                output.Clear();
                continue;
            }
            // (sum − x_t) / (count − 1)
            TensorPrimitives.Subtract(sums.Slice(leader * d, d), x.Slice(t * xStride + xOffset, d), output);
            TensorPrimitives.Multiply(output, 1f / (counts[leader] - 1), output);
        }
    }

    // dx[s,:] += (Σ_{t ∈ M(s)} dY[t,:]/(|M|−1)) − dY[s,:]/(|M|−1)
    public static void Backward(ReadOnlySpan<float> dY, int yStride, int yOffset, int d, ReadOnlySpan<int> leaders, int rows,
        Span<float> sums, Span<int> counts, Span<float> dX, int xStride, int xOffset)
    {
        Accumulate(dY, yStride, yOffset, d, leaders, rows, sums, counts);
        for (int s = 0; s < rows; s++)
        {
            int leader = leaders[s];
            if (leader < 0 || counts[leader] < 2) continue;
            var g = dX.Slice(s * xStride + xOffset, d);
            float scale = 1f / (counts[leader] - 1);
            TensorPrimitives.MultiplyAdd(sums.Slice(leader * d, d), scale, g, g);
            TensorPrimitives.MultiplyAdd(dY.Slice(s * yStride + yOffset, d), -scale, g, g);
        }
    }

    private static void Accumulate(ReadOnlySpan<float> x, int stride, int offset, int d, ReadOnlySpan<int> leaders, int rows,
        Span<float> sums, Span<int> counts)
    {
        for (int t = 0; t < rows; t++)
        {
            int leader = leaders[t];
            if (leader < 0) continue;
            if (leader == t)
            {
                sums.Slice(t * d, d).Clear();
                counts[t] = 0;
            }
        }
        for (int t = 0; t < rows; t++)
        {
            int leader = leaders[t];
            if (leader < 0) continue;
            var sum = sums.Slice(leader * d, d);
            TensorPrimitives.Add(sum, x.Slice(t * stride + offset, d), sum);
            counts[leader]++;
        }
    }
}
