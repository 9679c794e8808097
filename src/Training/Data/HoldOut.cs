using ServeNet.Core.Tensors;

namespace ServeNet.Training.Data;

/// <summary>
/// A seeded slice of the training examples kept out of training to select on (early stopping,
/// hyperparameters), so that dev is looked at once per final configuration. Examples of the same
/// group (a CoNLL document, an SST sentence and its phrases) stay on the same side, or the slice
/// leaks into training.
/// </summary>
public static class HoldOut
{
    public static (List<T> Train, List<T> HeldOut) Split<T>(IReadOnlyList<T> examples, Func<T, int> group, double fraction, ulong seed)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in (0, 1).");
        var groups = examples.Select(group).Distinct().Order().ToArray();
        new SeededRandom(seed).Shuffle(groups.AsSpan());
        var heldOutGroups = groups.Take(Math.Max(1, (int)Math.Round(groups.Length * fraction))).ToHashSet();
        var train = new List<T>();
        var heldOut = new List<T>();
        foreach (var example in examples) (heldOutGroups.Contains(group(example)) ? heldOut : train).Add(example);
        return (train, heldOut);
    }
}
