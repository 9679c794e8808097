namespace ServeNet.Core.Losses;

// Sentence-level log-likelihood (Collobert et al. 2011; a linear-chain CRF over network scores):
//   s(y) = start[y₀] + Σ_t E[t, yₜ] + Σ_{t>0} T[yₜ₋₁, yₜ]        E: [n, L] emissions   T: [L, L]
//   loss = log Σ_{valid y'} exp s(y') − s(gold)
// Forbidden transitions (allowed[i, j] false, e.g. O → I-PER) are excluded from the sum, so the
// model is trained and decoded over valid BIO sequences only. Forward–backward runs in float64 in
// probability space with per-step scaling (Rabiner): one exp per emission and per transition
// instead of one per (t, i, j), and no overflow because every step is renormalised.
public static class LinearChainCrf
{
    /// <summary>Largest scratch of the serving forward–backward taken from ArrayPool (2 MiB).</summary>
    private const int MaxPooledDoubles = 1 << 18;

    /// <summary>
    /// Loss of one sentence; writes dE [n, L] and adds into dT [L, L] and dStart [L].
    /// allowed: [L+1, L], row 0 for the sentence start, row i+1 for transitions out of label i.
    /// </summary>
    public static double ForwardBackward(ReadOnlySpan<float> emissions, ReadOnlySpan<int> gold, int n, int labels,
        ReadOnlySpan<float> transitions, ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed,
        Span<float> dEmissions, Span<float> dTransitions, Span<float> dStart)
    {
        var pass = new ScaledPass(emissions, n, labels, transitions, start, allowed);

        double goldScore = start[gold[0]] + emissions[gold[0]];
        for (int t = 1; t < n; t++) goldScore += transitions[gold[t - 1] * labels + gold[t]] + emissions[t * labels + gold[t]];

        for (int t = 0; t < n; t++)
            for (int j = 0; j < labels; j++)
                dEmissions[t * labels + j] = (float)pass.Marginal(t, j) - (gold[t] == j ? 1f : 0f);
        for (int j = 0; j < labels; j++) dStart[j] += (float)pass.Marginal(0, j);
        dStart[gold[0]] -= 1f;

        // p(yₜ₋₁ = i, yₜ = j) = α̂[t-1, i] · exp T[i, j] · φ[t, j] · β̂[t, j] / c[t]
        for (int t = 1; t < n; t++)
        {
            for (int i = 0; i < labels; i++)
            {
                double a = pass.Alpha[(t - 1) * labels + i] / pass.Scale[t];
                if (a == 0) continue;
                for (int j = 0; j < labels; j++)
                    dTransitions[i * labels + j] += (float)(a * pass.ExpTransitions[i * labels + j] * pass.Phi[t * labels + j] * pass.Beta[t * labels + j]);
            }
            dTransitions[gold[t - 1] * labels + gold[t]] -= 1f;
        }
        return pass.LogPartition - goldScore;
    }

    /// <summary>p(yₜ = j | sentence) for every token: marginals [n, L].</summary>
    public static void Marginals(ReadOnlySpan<float> emissions, int n, int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed, Span<float> marginals)
    {
        if (n == 0) return;
        var (expTransitions, expStart) = Exponentiate(labels, transitions, start, allowed);
        Marginals(emissions, n, labels, expTransitions, expStart, marginals);
    }

    /// <summary>exp of the transition and start scores, 0 where forbidden: computed once per model for <see cref="Marginals(ReadOnlySpan{float}, int, int, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{float})"/>.</summary>
    public static (double[] ExpTransitions, double[] ExpStart) Exponentiate(int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed)
    {
        var expTransitions = new double[labels * labels];
        var expStart = new double[labels];
        for (int i = 0; i < labels; i++)
            for (int j = 0; j < labels; j++)
                expTransitions[i * labels + j] = allowed[(i + 1) * labels + j] ? Math.Exp(transitions[i * labels + j]) : 0;
        for (int j = 0; j < labels; j++) expStart[j] = allowed[j] ? Math.Exp(start[j]) : 0;
        return (expTransitions, expStart);
    }

    /// <summary>
    /// The serving path of <see cref="Marginals(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{bool}, Span{float})"/>:
    /// exponentiated transitions precomputed, scaled forward–backward on the stack for ordinary sentences.
    /// </summary>
    public static void Marginals(ReadOnlySpan<float> e, int n, int labels, ReadOnlySpan<double> expTransitions,
        ReadOnlySpan<double> expStart, Span<float> marginals)
    {
        if (n == 0) return;
        int size = n * labels;
        // Ordinary sentences on the stack, long ones from the shared pool; a huge one gets its own array,
        // since the pool would keep it for the life of the process (64 MB for a 200,000-token text).
        int doubles = size * 3 + n;
        double[]? rented = doubles > 2048 && doubles <= MaxPooledDoubles ? System.Buffers.ArrayPool<double>.Shared.Rent(doubles) : null;
        Span<double> buffer = rented ?? (doubles > 2048 ? new double[doubles] : stackalloc double[doubles]);
        var alpha = buffer[..size];
        var beta = buffer.Slice(size, size);
        var phi = buffer.Slice(2 * size, size);
        var scale = buffer.Slice(3 * size, n);
        for (int t = 0; t < n; t++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < labels; j++) max = Math.Max(max, e[t * labels + j]);
            for (int j = 0; j < labels; j++) phi[t * labels + j] = Math.Exp(e[t * labels + j] - max);
        }
        for (int j = 0; j < labels; j++) alpha[j] = expStart[j] * phi[j];
        Normalize(alpha[..labels], ref scale[0]);
        for (int t = 1; t < n; t++)
        {
            for (int j = 0; j < labels; j++)
            {
                double sum = 0;
                for (int i = 0; i < labels; i++) sum += alpha[(t - 1) * labels + i] * expTransitions[i * labels + j];
                alpha[t * labels + j] = sum * phi[t * labels + j];
            }
            Normalize(alpha.Slice(t * labels, labels), ref scale[t]);
        }
        beta.Slice((n - 1) * labels, labels).Fill(1);
        for (int t = n - 2; t >= 0; t--)
        {
            for (int i = 0; i < labels; i++)
            {
                double sum = 0;
                for (int j = 0; j < labels; j++) sum += expTransitions[i * labels + j] * phi[(t + 1) * labels + j] * beta[(t + 1) * labels + j];
                beta[t * labels + i] = sum / scale[t + 1];
            }
        }
        for (int k = 0; k < size; k++) marginals[k] = (float)(alpha[k] * beta[k]);
        if (rented is not null) System.Buffers.ArrayPool<double>.Shared.Return(rented);

        static void Normalize(Span<double> row, ref double scale)
        {
            double sum = 0;
            foreach (double v in row) sum += v;
            scale = sum;
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
        }
    }

    /// <summary>log Z: the log-sum-exp of the scores of all valid label sequences.</summary>
    public static double LogPartition(ReadOnlySpan<float> emissions, int n, int labels, ReadOnlySpan<float> transitions,
        ReadOnlySpan<float> start, ReadOnlySpan<bool> allowed) =>
        new ScaledPass(emissions, n, labels, transitions, start, allowed).LogPartition;

    // α̂, β̂ are the scaled forward/backward variables: α̂[t, ·] sums to 1, c[t] the scale of step t.
    private readonly ref struct ScaledPass
    {
        public readonly double[] Alpha, Beta, Phi, Scale, ExpTransitions;
        public readonly double LogPartition;
        private readonly int _labels;

        public ScaledPass(ReadOnlySpan<float> e, int n, int labels, ReadOnlySpan<float> transitions, ReadOnlySpan<float> start,
            ReadOnlySpan<bool> allowed)
        {
            _labels = labels;
            Alpha = new double[n * labels];
            Beta = new double[n * labels];
            Phi = new double[n * labels];
            Scale = new double[n];
            ExpTransitions = new double[labels * labels];
            for (int i = 0; i < labels; i++)
                for (int j = 0; j < labels; j++)
                    ExpTransitions[i * labels + j] = allowed[(i + 1) * labels + j] ? Math.Exp(transitions[i * labels + j]) : 0;

            // φ[t, j] = exp(E[t, j] − max_j E[t, j]); the max goes back into log Z.
            double logZ = 0;
            for (int t = 0; t < n; t++)
            {
                float max = float.NegativeInfinity;
                for (int j = 0; j < labels; j++) max = Math.Max(max, e[t * labels + j]);
                for (int j = 0; j < labels; j++) Phi[t * labels + j] = Math.Exp(e[t * labels + j] - max);
                logZ += max;
            }

            for (int j = 0; j < labels; j++) Alpha[j] = allowed[j] ? Math.Exp(start[j]) * Phi[j] : 0;
            Normalize(0);
            for (int t = 1; t < n; t++)
            {
                for (int j = 0; j < labels; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < labels; i++) sum += Alpha[(t - 1) * labels + i] * ExpTransitions[i * labels + j];
                    Alpha[t * labels + j] = sum * Phi[t * labels + j];
                }
                Normalize(t);
            }
            for (int t = 0; t < n; t++) logZ += Math.Log(Scale[t]);
            LogPartition = logZ;

            for (int i = 0; i < labels; i++) Beta[(n - 1) * labels + i] = 1;
            for (int t = n - 2; t >= 0; t--)
            {
                for (int i = 0; i < labels; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < labels; j++)
                        sum += ExpTransitions[i * labels + j] * Phi[(t + 1) * labels + j] * Beta[(t + 1) * labels + j];
                    Beta[t * labels + i] = sum / Scale[t + 1];
                }
            }
        }

        public double Marginal(int t, int j) => Alpha[t * _labels + j] * Beta[t * _labels + j];

        private void Normalize(int t)
        {
            double sum = 0;
            for (int j = 0; j < _labels; j++) sum += Alpha[t * _labels + j];
            Scale[t] = sum;
            for (int j = 0; j < _labels; j++) Alpha[t * _labels + j] /= sum;
        }
    }
}
