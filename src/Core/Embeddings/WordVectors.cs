using System.Numerics.Tensors;

namespace ServeNet.Core.Embeddings;

/// <summary>Trained word vectors: Words[i] has Vectors[i·Dimension .. (i+1)·Dimension).</summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _index;

    public WordVectors(IReadOnlyList<string> words, float[] vectors, int dimension)
    {
        if (vectors.Length != (long)words.Count * dimension)
            throw new ArgumentException($"{words.Count} words of dimension {dimension} need {(long)words.Count * dimension} values, got {vectors.Length}.");
        Words = words;
        Vectors = vectors;
        Dimension = dimension;
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++) _index.TryAdd(words[i], i);
    }

    public IReadOnlyList<string> Words { get; }
    public float[] Vectors { get; }
    public int Dimension { get; }

    public ReadOnlySpan<float> this[int id] => Vectors.AsSpan(id * Dimension, Dimension);

    public bool TryGet(string word, out ReadOnlySpan<float> vector)
    {
        if (_index.TryGetValue(word, out int id))
        {
            vector = this[id];
            return true;
        }
        vector = default;
        return false;
    }

    /// <summary>Cosine similarity of two words' vectors (NaN if either is missing).</summary>
    public float Similarity(string a, string b) =>
        TryGet(a, out var x) && TryGet(b, out var y) ? TensorPrimitives.CosineSimilarity(x, y) : float.NaN;

    /// <summary>The k words most similar to <paramref name="word"/> by cosine, most similar first.</summary>
    public IReadOnlyList<(string Word, float Similarity)> Nearest(string word, int k)
    {
        if (!TryGet(word, out var query)) return [];
        var best = new List<(string, float)>();
        for (int id = 0; id < Words.Count; id++)
        {
            if (Words[id] == word) continue;
            best.Add((Words[id], TensorPrimitives.CosineSimilarity(query, this[id])));
        }
        return best.OrderByDescending(p => p.Item2).Take(k).ToList();
    }
}
