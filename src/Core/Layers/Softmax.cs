using System.Numerics.Tensors;

namespace ServeNet.Core.Layers;

// p[b,c] = exp(z[b,c]) / Σ_c' exp(z[b,c'])      z, p: [batch, classes]
// The inference end of every classifier; the training end is Losses/SoftmaxCrossEntropy.
public static class Softmax
{
    /// <summary>probabilities[b,:] = softmax(logits[b,:]).</summary>
    public static void Rows(ReadOnlySpan<float> logits, int batch, int classes, Span<float> probabilities)
    {
        for (int b = 0; b < batch; b++)
            TensorPrimitives.SoftMax(logits.Slice(b * classes, classes), probabilities.Slice(b * classes, classes));
    }

    /// <summary>log Σ exp(z), stable for any magnitude (the row max is subtracted first).</summary>
    public static float LogSumExp(ReadOnlySpan<float> z)
    {
        float max = TensorPrimitives.Max(z);
        if (float.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (float v in z) sum += Math.Exp(v - max);
        return max + (float)Math.Log(sum);
    }

    /// <summary>z[b,:] −= logsumexp(z[b,:]): each row becomes log-probabilities.</summary>
    public static void LogNormalizeRows(Span<float> z, int batch, int classes)
    {
        for (int b = 0; b < batch; b++)
        {
            var row = z.Slice(b * classes, classes);
            TensorPrimitives.Subtract(row, LogSumExp(row), row);
        }
    }
}
