namespace ServeNet.Core.Ner;

/// <summary>
/// BIO (IOB2) labels over entity types: "O", then "B-X", "I-X" for each type X. A sequence is
/// valid when every "I-X" follows a "B-X" or "I-X" of the same type.
/// </summary>
public sealed class BioLabels
{
    public const string Outside = "O";

    public BioLabels(IReadOnlyList<string> types)
    {
        Types = types.ToArray();
        var labels = new List<string> { Outside };
        foreach (var type in types)
        {
            labels.Add("B-" + type);
            labels.Add("I-" + type);
        }
        Labels = labels.ToArray();
        Index = Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        // Decoders ask this in their innermost loop: answer from a table, not from label strings.
        _allowed = new bool[(Labels.Count + 1) * Labels.Count];
        for (int previous = -1; previous < Labels.Count; previous++)
            for (int next = 0; next < Labels.Count; next++)
                _allowed[(previous + 1) * Labels.Count + next] = ComputeAllowed(previous, next);
    }

    private readonly bool[] _allowed;

    /// <summary>CoNLL-2003: PER, LOC, ORG, MISC.</summary>
    public static BioLabels Conll { get; } = new(["PER", "LOC", "ORG", "MISC"]);

    public IReadOnlyList<string> Types { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyDictionary<string, int> Index { get; }
    public int Count => Labels.Count;

    public static bool IsBegin(string label) => label.StartsWith("B-", StringComparison.Ordinal);
    public static bool IsInside(string label) => label.StartsWith("I-", StringComparison.Ordinal);
    public static string? TypeOf(string label) => label.Length > 2 && label[1] == '-' ? label[2..] : null;

    /// <summary>Whether label <paramref name="next"/> may follow <paramref name="previous"/> (-1: sentence start).</summary>
    public bool Allowed(int previous, int next) => _allowed[(previous + 1) * Labels.Count + next];

    /// <summary>allowed[(i + 1)·L + j]: label j may follow label i; row 0 is the sentence start. A copy.</summary>
    public bool[] AllowedMask() => (bool[])_allowed.Clone();

    private bool ComputeAllowed(int previous, int next)
    {
        string to = Labels[next];
        if (!IsInside(to)) return true;
        if (previous < 0) return false;
        string from = Labels[previous];
        return from != Outside && TypeOf(from) == TypeOf(to);
    }

    /// <summary>Entity spans [start, end) in token indices of a BIO sequence; a stray I-X starts a new entity.</summary>
    public static List<(string Type, int Start, int End)> Spans(IReadOnlyList<string> tags)
    {
        var spans = new List<(string, int, int)>();
        int start = -1;
        string? type = null;
        for (int i = 0; i <= tags.Count; i++)
        {
            string tag = i < tags.Count ? tags[i] : Outside;
            string? tagType = TypeOf(tag);
            bool continues = IsInside(tag) && type is not null && tagType == type;
            if (type is not null && !continues)
            {
                spans.Add((type, start, i));
                type = null;
            }
            if (tagType is not null && !continues)
            {
                type = tagType;
                start = i;
            }
        }
        return spans;
    }
}
