using ServeNet.Core.Ner;

namespace ServeNet.Training.Evaluation;

/// <summary>
/// For each gold entity, the type of the predicted entity with exactly the same span, or
/// "(none)" when no prediction matches its boundaries; plus predicted entities matching no gold span.
/// </summary>
public sealed class EntityConfusion
{
    public const string None = "(none)";

    public EntityConfusion(IReadOnlyList<string> types, IEnumerable<(IReadOnlyList<string> Gold, IReadOnlyList<string> Guessed)> sentences)
    {
        Types = types;
        Columns = [.. types, None];
        Counts = new int[types.Count, Columns.Count];
        Spurious = new int[types.Count];
        var index = types.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        foreach (var (gold, guessed) in sentences)
        {
            var predicted = BioLabels.Spans(guessed).ToDictionary(s => (s.Start, s.End), s => s.Type);
            var goldSpans = BioLabels.Spans(gold);
            foreach (var (type, start, end) in goldSpans)
                Counts[index[type], predicted.TryGetValue((start, end), out var p) ? index[p] : types.Count]++;
            var goldKeys = goldSpans.Select(s => (s.Start, s.End)).ToHashSet();
            foreach (var ((start, end), type) in predicted)
                if (!goldKeys.Contains((start, end))) Spurious[index[type]]++;
        }
    }

    public IReadOnlyList<string> Types { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>[gold type, predicted type or (none)].</summary>
    public int[,] Counts { get; }

    /// <summary>Predicted entities per type whose span matches no gold entity.</summary>
    public int[] Spurious { get; }

    public string Markdown()
    {
        var s = new System.Text.StringBuilder();
        s.AppendLine("| gold \\ predicted (same span) | " + string.Join(" | ", Columns) + " |");
        s.AppendLine("|---|" + string.Concat(Columns.Select(_ => "---:|")));
        for (int g = 0; g < Types.Count; g++)
            s.AppendLine($"| {Types[g]} | " + string.Join(" | ", Enumerable.Range(0, Columns.Count).Select(p => Counts[g, p])) + " |");
        s.AppendLine("| spurious (no gold span) | " + string.Join(" | ", Spurious) + " | |");
        return s.ToString();
    }
}
