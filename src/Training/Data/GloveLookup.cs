using System.Numerics.Tensors;

namespace ServeNet.Training.Data;

/// <summary>
/// Finds a pre-trained vector for a corpus token. GloVe is lowercase with raw punctuation, so PTB
/// escapes are undone ("-lrb-" → "(", "``" → "\""), digits fall back to a shape ("1,234" → "0,000"
/// is tried last), and a hyphenated word not in GloVe gets the mean of its parts.
/// </summary>
public static class GloveLookup
{
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
