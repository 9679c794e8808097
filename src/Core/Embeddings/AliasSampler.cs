using ServeNet.Core.Tensors;

namespace ServeNet.Core.Embeddings;

/// <summary>
/// Draws index i with probability wᵢ / Σw in O(1) (Walker's alias method, Vose's construction):
/// a uniform column, then a biased coin between the column and its alias. Two arrays as long as
/// the vocabulary, where word2vec's table of 10⁸ entries approximates the same distribution.
/// </summary>
public sealed class AliasSampler
{
    private readonly float[] _probability;
    private readonly int[] _alias;

    public AliasSampler(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        if (n == 0) throw new ArgumentException("At least one weight.", nameof(weights));
        double total = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentException($"Weights must be finite and non-negative; found {w}.", nameof(weights));
            total += w;
        }
        if (total <= 0) throw new ArgumentException("The weights sum to zero.", nameof(weights));
        _probability = new float[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _probability[s] = (float)scaled[s];
            _alias[s] = l;
            scaled[l] += scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        // Whatever is left is 1 up to rounding.
        while (large.Count > 0) { int l = large.Pop(); _probability[l] = 1f; _alias[l] = l; }
        while (small.Count > 0) { int s = small.Pop(); _probability[s] = 1f; _alias[s] = s; }
    }

    public int Count => _probability.Length;

    public int Sample(SeededRandom random)
    {
        int column = random.NextInt(_probability.Length);
        return random.NextFloat() < _probability[column] ? column : _alias[column];
    }
}
