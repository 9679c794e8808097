using System.Collections;

namespace ServeNet.Api.Classification;

/// <summary>
/// "probabilities" of one result: the model's labels, in their order, each with its probability. A view of the labels
/// and the result's probabilities, so an answer builds no hash table per text (a model has a handful of labels: a
/// look-up by name scans them).
/// </summary>
/// <param name="labels">The model's labels [classes].</param>
/// <param name="probabilities">One probability per label [classes], in label order.</param>
public sealed class LabelProbabilities(IReadOnlyList<string> labels, float[] probabilities) : IReadOnlyDictionary<string, float>
{
    public int Count => labels.Count;

    public IEnumerable<string> Keys => labels;

    public IEnumerable<float> Values => probabilities;

    public float this[string key] => TryGetValue(key, out float probability) ? probability
        : throw new KeyNotFoundException($"No label \"{key}\": the labels are {string.Join(", ", labels)}.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out float value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? probabilities[index] : 0f;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, float>> GetEnumerator()
    {
        for (int k = 0; k < labels.Count; k++) yield return new(labels[k], probabilities[k]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (int k = 0; k < labels.Count; k++)
            if (string.Equals(labels[k], key, StringComparison.Ordinal)) return k;
        return -1;
    }
}
