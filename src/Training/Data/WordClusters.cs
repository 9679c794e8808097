using ServeNet.Core.Clustering;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Training.Data;

/// <summary>
/// Word classes from the embeddings (Ratinov &amp; Roth 2009 used Brown clusters): k-means over the GloVe
/// vectors of the most frequent GloVe words, then each vocabulary word's vector (as <see cref="GloveLookup.TryFill"/>
/// finds it) assigned to its nearest centroid. A rare word shares its class, and what training teaches about it,
/// with frequent words of similar meaning.
/// </summary>
public static class WordClusters
{
    /// <summary>Cluster rows for a table: 0 padding, 1 a word with no vector, 2.. the clusters.</summary>
    public const int NoVector = 1, FirstCluster = 2;

    /// <summary>Fits the centroids [k, d] on the first <paramref name="fitWords"/> GloVe words (all if 0).</summary>
    public static float[] Fit(PretrainedEmbeddings glove, int k, int fitWords, int iterations, SeededRandom random)
    {
        int n = fitWords > 0 ? Math.Min(fitWords, glove.Count) : glove.Count;
        return KMeans.Fit(glove.Vectors.AsSpan(0, n * glove.Dimension), n, glove.Dimension, k, iterations, random);
    }

    /// <summary>The cluster row of every vocabulary word (indexed by word id; padding 0, unknown and words without a vector 1).</summary>
    public static int[] Assign(Vocabulary words, PretrainedEmbeddings glove, float[] centroids, int k)
    {
        int d = glove.Dimension;
        var rows = new int[words.Count];
        var found = new List<int>();
        var vectors = new float[words.Count * d];
        for (int id = Vocabulary.UnknownId + 1; id < words.Count; id++)
        {
            if (GloveLookup.TryFill(glove, words.WordOf(id), vectors.AsSpan(found.Count * d, d))) found.Add(id);
            else rows[id] = NoVector;
        }
        rows[Vocabulary.UnknownId] = NoVector;
        var nearest = new int[found.Count];
        KMeans.Nearest(vectors.AsSpan(0, found.Count * d), found.Count, d, centroids, k, nearest);
        for (int i = 0; i < found.Count; i++) rows[found[i]] = FirstCluster + nearest[i];
        return rows;
    }
}
