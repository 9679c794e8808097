namespace ServeNet.Core.Embeddings;

/// <summary>The skip-gram step in plain scalar loops, in double for the dot products: the ground truth the fast variant is tested against.</summary>
internal readonly struct ReferenceSkipGramUpdate : ISkipGramUpdate
{
    public static string Name => "reference";

    public static float Apply(Span<float> input, float[] output, ReadOnlySpan<int> targets, float rate, Span<float> e)
    {
        int dim = input.Length;
        e.Clear();
        double loss = 0;
        for (int k = 0; k < targets.Length; k++)
        {
            var o = output.AsSpan(targets[k] * dim, dim);
            double s = 0;
            for (int i = 0; i < dim; i++) s += (double)input[i] * o[i];
            double sigma = 1 / (1 + Math.Exp(-s));
            float label = k == 0 ? 1f : 0f;
            loss -= k == 0 ? LogSigmoid(s) : LogSigmoid(-s);
            float g = rate * (label - (float)sigma);
            for (int i = 0; i < dim; i++) e[i] += g * o[i];
            for (int i = 0; i < dim; i++) o[i] += g * input[i];
        }
        for (int i = 0; i < dim; i++) input[i] += e[i];
        return (float)loss;
    }

    // log σ(x) = −log(1 + e^−x), computed without overflow for either sign.
    internal static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));
}
