using ServeNet.Core.Clustering;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Clustering;

public class KMeansTests
{
    private static float[] Gaussian(int count, SeededRandom random)
    {
        var values = new float[count];
        random.FillGaussian(values, 1f);
        return values;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 5)]
    [InlineData(600, 17, 33)] // more than one GEMM block of points
    public void Nearest_MatchesTheReferenceDistances(int n, int d, int k)
    {
        var random = new SeededRandom((ulong)(n * 131 + k));
        var points = Gaussian(n * d, random);
        var centroids = Gaussian(k * d, random);
        var fast = new int[n];
        var reference = new int[n];
        KMeans.Nearest(points, n, d, centroids, k, fast);
        KMeans.NearestReference(points, n, d, centroids, k, reference);
        // The GEMM form rounds differently: where the two disagree, the distances must tie within float error.
        for (int i = 0; i < n; i++)
        {
            if (fast[i] == reference[i]) continue;
            double Distance(int c) => Enumerable.Range(0, d).Sum(j => Math.Pow(points[i * d + j] - centroids[c * d + j], 2));
            Assert.Equal(Distance(reference[i]), Distance(fast[i]), 1e-4 * (1 + Distance(reference[i])));
        }
    }

    [Fact]
    public void Fit_SeparatedBlobs_PutsEachBlobInItsOwnCluster()
    {
        var random = new SeededRandom(3);
        int perBlob = 40, d = 4;
        float[][] centres = [[10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0]];
        var points = new float[centres.Length * perBlob * d];
        for (int b = 0; b < centres.Length; b++)
            for (int i = 0; i < perBlob; i++)
                for (int j = 0; j < d; j++)
                    points[((b * perBlob) + i) * d + j] = centres[b][j] + 0.5f * (random.NextFloat() - 0.5f);

        var centroids = KMeans.Fit(points, centres.Length * perBlob, d, k: 3, iterations: 20, new SeededRandom(5));
        var assignment = new int[centres.Length * perBlob];
        KMeans.Nearest(points, assignment.Length, d, centroids, 3, assignment);
        var clusters = Enumerable.Range(0, centres.Length).Select(b => assignment.Skip(b * perBlob).Take(perBlob).Distinct().ToArray()).ToArray();
        Assert.All(clusters, c => Assert.Single(c));
        Assert.Equal(3, clusters.Select(c => c[0]).Distinct().Count());
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameCentroids()
    {
        var points = Gaussian(200 * 5, new SeededRandom(8));
        Assert.Equal(KMeans.Fit(points, 200, 5, 8, 10, new SeededRandom(9)), KMeans.Fit(points, 200, 5, 8, 10, new SeededRandom(9)));
    }
}
