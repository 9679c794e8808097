using System.Numerics.Tensors;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Training.Data;

/// <summary>
/// Finds a pre-trained vector for a corpus token. GloVe is lowercase with raw punctuation, so PTB
/// escapes are undone ("-lrb-" → "(", "``" → "\""), digits fall back to a shape ("1,234" → "0,000"
/// is tried last), and a hyphenated word not in GloVe gets the mean of its parts.
/// </summary>
public static class GloveLookup
{
    /// <summary>Fills a row the model derives from rows already set (e.g. a bigram from its words); false if it does not.</summary>
    public delegate bool DeriveRow(int id, Span<float> row);

    /// <summary>
    /// Initialises an embedding table over a vocabulary: zeros for padding, GloVe's unknown vector for
    /// the unknown word, then per word in id order the derived row if <paramref name="derive"/> gives
    /// one, else its GloVe vector (<see cref="TryFill"/>), else small Gaussian noise. Returns the rows found in GloVe.
    /// </summary>
    public static int Initialize(Parameter table, Vocabulary vocabulary, PretrainedEmbeddings glove, SeededRandom random, DeriveRow? derive = null)
    {
        int found = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var row = table.Row(id);
            if (id == Vocabulary.PaddingId) row.Clear();
            else if (id == Vocabulary.UnknownId) glove.Unknown.CopyTo(row);
            else if (derive is not null && derive(id, row)) continue;
            else if (TryFill(glove, vocabulary.WordOf(id), row)) found++;
            else random.FillGaussian(row, 0.1f);
        }
        return found;
    }

    public static bool TryFill(PretrainedEmbeddings glove, string token, Span<float> vector)
    {
        foreach (var key in Keys(token))
        {
            if (glove.TryGet(key, out var found))
            {
                found.CopyTo(vector);
                return true;
            }
        }
        if (token.Contains('-') && token.Length > 2)
        {
            vector.Clear();
            int parts = 0;
            foreach (var part in token.Split('-', StringSplitOptions.RemoveEmptyEntries))
            {
                if (glove.TryGet(part.ToLowerInvariant(), out var found))
                {
                    TensorPrimitives.Add(vector, found, vector);
                    parts++;
                }
            }
            if (parts > 0)
            {
                TensorPrimitives.Multiply(vector, 1f / parts, vector);
                return true;
            }
        }
        return false;
    }

    private static IEnumerable<string> Keys(string token)
    {
        string lower = token.ToLowerInvariant();
        yield return lower;
        string unescaped = lower switch
        {
            "-lrb-" => "(",
            "-rrb-" => ")",
            "-lsb-" => "[",
            "-rsb-" => "]",
            "-lcb-" => "{",
            "-rcb-" => "}",
            "``" or "''" => "\"",
            "`" => "'",
            _ => lower.Replace("\\/", "/").Replace("\\*", "*"),
        };
        if (unescaped != lower) yield return unescaped;
        if (lower.Any(char.IsDigit))
            yield return new string(lower.Select(c => char.IsDigit(c) ? '0' : c).ToArray());
    }
}
