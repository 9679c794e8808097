namespace ServeNet.Core.Losses;

// Sentence-level log-likelihood (Collobert et al. 2011; a linear-chain CRF over network scores):
//   s(y) = start[y₀] + Σ_t E[t, yₜ] + Σ_{t>0} T[yₜ₋₁, yₜ]        E: [n, L] emissions   T: [L, L]
//   loss = log Σ_{valid y'} exp s(y') − s(gold)
// Forbidden transitions (allowed[i, j] false, e.g. O → I-PER) are excluded from the sum, so the
// model is trained and decoded over valid BIO sequences only. Forward–backward runs in float64.
public static class LinearChainCrf
{
    /// <summary>
    /// Loss of one sentence; writes dE [n, L] and adds into dT [L, L] and dStart [L].
    /// allowed: [L+1, L], row 0 for the sentence start, row i+1 for transitions out of label i.
    /// </summary>
    public static double ForwardBackward(ReadOnlySpan<float> emissions, ReadOnlySpan<int> gold, int n, int labels,
        ReadOnlySpan<float> transitions, ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed,
        Span<float> dEmissions, Span<float> dTransitions, Span<float> dStart)
    {
        var alpha = new double[n * labels];
        var beta = new double[n * labels];
        double logZ = Forward(emissions, n, labels, transitions, start, allowed, alpha);
        Backward(emissions, n, labels, transitions, allowed, beta);

        double goldScore = start[gold[0]] + emissions[gold[0]];
        for (int t = 1; t < n; t++) goldScore += transitions[gold[t - 1] * labels + gold[t]] + emissions[t * labels + gold[t]];

        // Unary marginals p(yₜ = j) minus the gold indicator.
        for (int t = 0; t < n; t++)
            for (int j = 0; j < labels; j++)
                dEmissions[t * labels + j] = (float)Math.Exp(alpha[t * labels + j] + beta[t * labels + j] - logZ) - (gold[t] == j ? 1f : 0f);
        for (int j = 0; j < labels; j++) dStart[j] += (float)Math.Exp(alpha[j] + beta[j] - logZ);
        dStart[gold[0]] -= 1f;

        // Pairwise marginals p(yₜ₋₁ = i, yₜ = j) minus gold transition counts.
        for (int t = 1; t < n; t++)
        {
            for (int i = 0; i < labels; i++)
            {
                double a = alpha[(t - 1) * labels + i];
                if (double.IsNegativeInfinity(a)) continue;
                for (int j = 0; j < labels; j++)
                {
                    if (!allowed[(i + 1) * labels + j]) continue;
                    double p = Math.Exp(a + transitions[i * labels + j] + emissions[t * labels + j] + beta[t * labels + j] - logZ);
                    dTransitions[i * labels + j] += (float)p;
                }
            }
            dTransitions[gold[t - 1] * labels + gold[t]] -= 1f;
        }
        return logZ - goldScore;
    }

    /// <summary>p(yₜ = j | sentence) for every token: marginals [n, L].</summary>
    public static void Marginals(ReadOnlySpan<float> emissions, int n, int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed, Span<float> marginals)
    {
        if (n == 0) return;
        var alpha = new double[n * labels];
        var beta = new double[n * labels];
        double logZ = Forward(emissions, n, labels, transitions, start, allowed, alpha);
        Backward(emissions, n, labels, transitions, allowed, beta);
        for (int k = 0; k < n * labels; k++) marginals[k] = (float)Math.Exp(alpha[k] + beta[k] - logZ);
    }

    // alpha[t, j] = log Σ over valid prefixes ending in j at t; returns log Z.
    private static double Forward(ReadOnlySpan<float> e, int n, int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed, Span<double> alpha)
    {
        for (int j = 0; j < labels; j++) alpha[j] = allowed[j] ? start[j] + e[j] : double.NegativeInfinity;
        Span<double> terms = stackalloc double[labels];
        for (int t = 1; t < n; t++)
        {
            for (int j = 0; j < labels; j++)
            {
                for (int i = 0; i < labels; i++)
                    terms[i] = allowed[(i + 1) * labels + j] ? alpha[(t - 1) * labels + i] + transitions[i * labels + j] : double.NegativeInfinity;
                alpha[t * labels + j] = LogSumExp(terms) + e[t * labels + j];
            }
        }
        return LogSumExp(alpha.Slice((n - 1) * labels, labels));
    }

    // beta[t, i] = log Σ over valid suffixes after label i at t (emissions of t excluded).
    private static void Backward(ReadOnlySpan<float> e, int n, int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<bool> allowed, Span<double> beta)
    {
        beta.Slice((n - 1) * labels, labels).Clear();
        Span<double> terms = stackalloc double[labels];
        for (int t = n - 2; t >= 0; t--)
        {
            for (int i = 0; i < labels; i++)
            {
                for (int j = 0; j < labels; j++)
                    terms[j] = allowed[(i + 1) * labels + j]
                        ? transitions[i * labels + j] + e[(t + 1) * labels + j] + beta[(t + 1) * labels + j]
                        : double.NegativeInfinity;
                beta[t * labels + i] = LogSumExp(terms);
            }
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) if (v > max) max = v;
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
