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
        // The transition scores with the BIO constraints folded in, row 0 the start: −∞ where a label may not follow, so the
        // inner loop is an add and a compare (a −∞ candidate never beats the best, as a skipped one did not). It asked
        // BioLabels per pair before: half of decoding a 16-token sentence.
        Span<float> masked = stackalloc float[(labels + 1) * labels];
        for (int i = -1; i < labels; i++)
            for (int j = 0; j < labels; j++)
                masked[(i + 1) * labels + j] = !labelSet.Allowed(i, j) ? float.NegativeInfinity
                    : i < 0 ? (start.IsEmpty ? 0 : start[j]) : transitions.IsEmpty ? 0 : transitions[i * labels + j];
        int size = n * labels;
        Span<float> best = size <= MaxStackCells ? stackalloc float[size] : new float[size];
        Span<int> back = size <= MaxStackCells ? stackalloc int[size] : new int[size];
        for (int j = 0; j < labels; j++)
            best[j] = float.IsNegativeInfinity(masked[j]) ? float.NegativeInfinity : scores[j] + masked[j];
        for (int t = 1; t < n; t++)
        {
            var previous = best.Slice((t - 1) * labels, labels);
            for (int j = 0; j < labels; j++)
            {
                float top = float.NegativeInfinity;
                int arg = 0;
                for (int i = 0; i < labels; i++)
                {
                    float candidate = previous[i] + masked[(i + 1) * labels + j];
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

    // Cells of best scores and back-pointers kept on the stack (a sentence of 113 tokens with 9 labels); longer ones on the heap.
    private const int MaxStackCells = 1024;
}
