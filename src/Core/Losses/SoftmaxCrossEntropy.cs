using ServeNet.Core.Layers;

namespace ServeNet.Core.Losses;

// loss = -(1/B) Σ_b Σ_c t[b,c]·log softmax(z[b,:])[c]      z: [batch, classes]
// t = one-hot(label) smoothed to (1-ε)·onehot + ε/C. log softmax via log-sum-exp with the row max
// subtracted, so large logits never overflow. dZ[b,c] = (softmax(z[b,:])[c] - t[b,c]) / B.
public static class SoftmaxCrossEntropy
{
    /// <summary>Mean loss over the batch; writes the gradient w.r.t. the logits into <paramref name="dLogits"/>.</summary>
    public static float ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batch, int classes,
        Span<float> dLogits, float labelSmoothing = 0f)
    {
        if (labels.Length < batch) throw new ArgumentException($"{labels.Length} labels for a batch of {batch}.", nameof(labels));
        double total = 0;
        float off = labelSmoothing / classes, on = 1f - labelSmoothing + off;
        for (int b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var d = dLogits.Slice(b * classes, classes);
            int label = labels[b];
            if ((uint)label >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label of row {b} is not in [0, {classes}).");
            float logSumExp = Softmax.LogSumExp(z);
            for (int c = 0; c < classes; c++)
            {
                float target = c == label ? on : off;
                float logP = z[c] - logSumExp;
                if (target != 0f) total -= target * logP;
                d[c] = (MathF.Exp(logP) - target) / batch;
            }
        }
        return (float)(total / batch);
    }
}
