namespace ServeNet.Training.Data;

/// <summary>Pre-trained word vectors: words in frequency order, vectors [Count, Dimension].</summary>
public sealed class PretrainedEmbeddings
{
    private readonly Dictionary<string, int> _index;

    public PretrainedEmbeddings(string[] words, float[] vectors, int dimension, float[]? unknown)
    {
        if (vectors.Length != (long)words.Length * dimension)
            throw new ArgumentException($"{words.Length} words of dimension {dimension} need {(long)words.Length * dimension} values, got {vectors.Length}.");
        Words = words;
        Vectors = vectors;
        Dimension = dimension;
        Unknown = unknown ?? new float[dimension];
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index.TryAdd(words[i], i);
    }

    public string[] Words { get; }
    public float[] Vectors { get; }
    public int Dimension { get; }
    public float[] Unknown { get; }
    public int Count => Words.Length;

    public bool TryGet(string word, out ReadOnlySpan<float> vector)
    {
        if (_index.TryGetValue(word, out int i))
        {
            vector = Vectors.AsSpan(i * Dimension, Dimension);
            return true;
        }
        vector = default;
        return false;
    }

    public int RankOf(string word) => _index.TryGetValue(word, out int i) ? i : -1;
}
