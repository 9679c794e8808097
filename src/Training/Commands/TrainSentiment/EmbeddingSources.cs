using System.Numerics.Tensors;
using ServeNet.Core.Embeddings;
using ServeNet.Core.Tensors;
using ServeNet.Training.Data;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>How in-domain skip-gram vectors are used: not at all, instead of GloVe, or side by side with it (concatenated).</summary>
public enum InDomainUse { None, Replace, Concat }

/// <summary>
/// Where a sentiment model's embedding rows start: GloVe, in-domain skip-gram vectors, or both side by
/// side ([GloVe | in-domain], so the row is the sum of their dimensions). In-domain vectors are scaled
/// to GloVe's mean row norm, so both halves start on the same footing and the same embedding rate suits both.
/// </summary>
public sealed class EmbeddingSources
{
    public EmbeddingSources(PretrainedEmbeddings? glove, WordVectors? inDomain)
    {
        if (glove is null && inDomain is null) throw new ArgumentException("At least one source of vectors.");
        Glove = glove;
        InDomain = inDomain;
        if (glove is not null && inDomain is not null) InDomainScale = MeanNorm(glove.Vectors, glove.Dimension, 20_000) / MeanNorm(inDomain.Vectors, inDomain.Dimension, 20_000);
    }

    public PretrainedEmbeddings? Glove { get; }
    public WordVectors? InDomain { get; }
    public float InDomainScale { get; } = 1f;
    public int Dimension => (Glove?.Dimension ?? 0) + (InDomain?.Dimension ?? 0);

    /// <summary>The unknown word's row: GloVe's unknown vector, zeros for the in-domain half.</summary>
    public void FillUnknown(Span<float> row)
    {
        row.Clear();
        Glove?.Unknown.CopyTo(row);
    }

    /// <summary>Fills each half the word has a vector for; the others get N(0, 0.1²). Returns whether any half was found.</summary>
    public bool TryFill(string word, Span<float> row, SeededRandom random)
    {
        bool found = false;
        int offset = 0;
        if (Glove is not null)
        {
            var part = row.Slice(0, Glove.Dimension);
            if (GloveLookup.TryFill(Glove, word, part)) found = true;
            else random.FillGaussian(part, 0.1f);
            offset = Glove.Dimension;
        }
        if (InDomain is not null)
        {
            var part = row.Slice(offset, InDomain.Dimension);
            if (InDomain.TryGet(word, out var vector))
            {
                TensorPrimitives.Multiply(vector, InDomainScale, part);
                found = true;
            }
            else random.FillGaussian(part, 0.1f);
        }
        return found;
    }

    // Mean L2 norm of the first rows (the most frequent words).
    private static float MeanNorm(float[] vectors, int dimension, int rows)
    {
        rows = Math.Min(rows, vectors.Length / dimension);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += TensorPrimitives.Norm(vectors.AsSpan(r * dimension, dimension));
        return (float)(sum / rows);
    }
}
