namespace ServeNet.Core.Ner;

/// <summary>
/// Turns per-token label scores into a label sequence. Greedy picks each token's best label and
/// may produce invalid BIO; <see cref="Viterbi"/> finds the best sequence among valid ones only
/// (scores are log-probabilities or CRF emissions, plus optional transition scores).
/// </summary>
public static class BioDecoder
{
    /// <summary>argmax per token. scores: [n, labels].</summary>
    public static int[] Greedy(ReadOnlySpan<float> scores, int n, int labels)
    {
        var path = new int[n];
        for (int t = 0; t < n; t++) path[t] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(scores.Slice(t * labels, labels));
        return path;
    }

    /// <summary>
    /// Best valid sequence under Σ_t scores[t, yₜ] + Σ_t transitions[yₜ₋₁, yₜ] + start[y₀].
    /// scores: [n, labels]; transitions: [labels, labels] or empty; start: [labels] or empty.
    /// </summary>
    public static int[] Viterbi(ReadOnlySpan<float> scores, int n, BioLabels labelSet,
        ReadOnlySpan<float> transitions = default, ReadOnlySpan<float> start = default)
    {
        int labels = labelSet.Count;
        var path = new int[n];
        if (n == 0) return path;
        var best = new float[n * labels];
        var back = new int[n * labels];
        for (int j = 0; j < labels; j++)
            best[j] = labelSet.Allowed(-1, j) ? scores[j] + (start.IsEmpty ? 0 : start[j]) : float.NegativeInfinity;
        for (int t = 1; t < n; t++)
        {
            for (int j = 0; j < labels; j++)
            {
                float top = float.NegativeInfinity;
                int arg = 0;
                for (int i = 0; i < labels; i++)
                {
                    if (!labelSet.Allowed(i, j)) continue;
                    float candidate = best[(t - 1) * labels + i] + (transitions.IsEmpty ? 0 : transitions[i * labels + j]);
                    if (candidate > top)
                    {
                        top = candidate;
                        arg = i;
                    }
                }
                best[t * labels + j] = top + scores[t * labels + j];
                back[t * labels + j] = arg;
            }
        }
        int last = 0;
        for (int j = 1; j < labels; j++) if (best[(n - 1) * labels + j] > best[(n - 1) * labels + last]) last = j;
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) path[t - 1] = back[t * labels + path[t]];
        return path;
    }
}
