using System.Numerics.Tensors;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Clustering;

// points: [n, d] row-major    centroids: [k, d]    assignment: [n], each in 0..k−1
// Lloyd's k-means: assign each point to its nearest centroid (squared Euclidean), move each centroid
// to the mean of its points, repeat. argmin_c ‖x − c‖² = argmin_c (‖c‖² − 2·x·c), so the distances of a
// block of points are one GEMM against the centroids.
public static class KMeans
{
    // Points per GEMM block: a [512, k] score buffer.
    private const int Block = 512;

    /// <summary>
    /// Fits <paramref name="k"/> centroids to <paramref name="points"/> [n, d]: seeded start from k distinct
    /// points, then <paramref name="iterations"/> Lloyd steps (stopping early when no point changes cluster);
    /// an emptied cluster restarts at a random point. Returns the centroids [k, d].
    /// </summary>
    public static float[] Fit(ReadOnlySpan<float> points, int n, int d, int k, int iterations, SeededRandom random)
    {
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"Need 1 ≤ k ≤ n = {n} clusters.");
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order.AsSpan());
        var centroids = new float[k * d];
        for (int c = 0; c < k; c++) points.Slice(order[c] * d, d).CopyTo(centroids.AsSpan(c * d, d));

        var assignment = new int[n];
        Array.Fill(assignment, -1);
        var next = new int[n];
        var counts = new int[k];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Nearest(points, n, d, centroids, k, next);
            if (next.AsSpan().SequenceEqual(assignment)) break;
            next.CopyTo(assignment, 0);

            Array.Clear(centroids);
            Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                int c = assignment[i];
                TensorPrimitives.Add(centroids.AsSpan(c * d, d), points.Slice(i * d, d), centroids.AsSpan(c * d, d));
                counts[c]++;
            }
            for (int c = 0; c < k; c++)
            {
                var row = centroids.AsSpan(c * d, d);
                if (counts[c] > 0) TensorPrimitives.Multiply(row, 1f / counts[c], row);
                else points.Slice(random.NextInt(n) * d, d).CopyTo(row);
            }
        }
        return centroids;
    }

    /// <summary>The nearest centroid [k, d] of each point [n, d] (lowest index on ties).</summary>
    public static void Nearest(ReadOnlySpan<float> points, int n, int d, ReadOnlySpan<float> centroids, int k, Span<int> assignment)
    {
        var norms = new float[k]; // ‖c‖²
        for (int c = 0; c < k; c++) norms[c] = TensorPrimitives.Dot(centroids.Slice(c * d, d), centroids.Slice(c * d, d));
        var scores = new float[Math.Min(Block, n) * k]; // x·c for a block of points
        for (int first = 0; first < n; first += Block)
        {
            int rows = Math.Min(Block, n - first);
            MatMul.MultiplyTransposedB(points.Slice(first * d, rows * d), centroids, scores, rows, d, k);
            for (int r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(r * k, k);
                int best = 0;
                float bestDistance = float.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    float distance = norms[c] - 2f * row[c];
                    if (distance < bestDistance) (best, bestDistance) = (c, distance);
                }
                assignment[first + r] = best;
            }
        }
    }

    /// <summary>The slow reference of <see cref="Nearest"/>: ‖x − c‖² for every pair, kept to test the fast one against.</summary>
    public static void NearestReference(ReadOnlySpan<float> points, int n, int d, ReadOnlySpan<float> centroids, int k, Span<int> assignment)
    {
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                double distance = 0;
                for (int j = 0; j < d; j++)
                {
                    double diff = points[i * d + j] - centroids[c * d + j];
                    distance += diff * diff;
                }
                if (distance < bestDistance) (best, bestDistance) = (c, distance);
            }
            assignment[i] = best;
        }
    }
}
