namespace ServeNet.Core.Ner;

/// <summary>
/// Name lists by category (Collobert et al. 2011 and Ratinov &amp; Roth 2009 used gazetteers: a name the training
/// news never saw can still be a known city or given name). Each token gets one id: the set of categories of
/// every listed phrase that covers it, as a bit mask. A phrase matches case-insensitively, starting at a
/// capitalised token ("Split" the city, not "split" the verb), and may span several tokens ("Rio de Janeiro");
/// overlapping phrases all count.
/// </summary>
public sealed class Gazetteer
{
    /// <summary>At most this many categories: the ids (1 + mask) stay a small embedding table.</summary>
    public const int MaxCategories = 8;

    /// <param name="lists">Category name → phrases, tokens separated by single spaces.</param>
    public Gazetteer(IReadOnlyDictionary<string, string[]> lists)
    {
        if (lists.Count is 0 or > MaxCategories)
            throw new ArgumentException($"A gazetteer has 1 to {MaxCategories} categories, got {lists.Count}.", nameof(lists));
        Categories = [.. lists.Keys.Order(StringComparer.Ordinal)];
        Lists = lists;
        for (int c = 0; c < Categories.Length; c++)
        {
            foreach (var phrase in lists[Categories[c]])
            {
                var tokens = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0) continue;
                var node = _root;
                foreach (var token in tokens)
                {
                    node.Next ??= new Dictionary<string, Node>(StringComparer.OrdinalIgnoreCase);
                    if (!node.Next.TryGetValue(token, out var next)) node.Next[token] = next = new Node();
                    node = next;
                }
                node.Mask |= 1 << c;
            }
        }
    }

    /// <summary>Category names, ordinal order: bit c of an id's mask is category c.</summary>
    public string[] Categories { get; }

    /// <summary>The lists as given (saved with a checkpoint).</summary>
    public IReadOnlyDictionary<string, string[]> Lists { get; }

    /// <summary>Rows of the embedding table: padding 0, then 1 + every mask (1: no match).</summary>
    public int Rows => 1 + (1 << Categories.Length);

    /// <summary>Writes each token's id (1 + mask of the categories of the phrases covering it).</summary>
    public void Match(IReadOnlyList<string> tokens, Span<int> ids)
    {
        var masks = ids[..tokens.Count];
        masks.Clear();
        for (int start = 0; start < tokens.Count; start++)
        {
            if (!WordShape.IsCapitalised(tokens[start])) continue;
            var node = _root;
            for (int end = start; end < tokens.Count; end++)
            {
                if (node.Next is null || !node.Next.TryGetValue(tokens[end], out node)) break;
                for (int t = start; t <= end; t++) masks[t] |= node.Mask;
            }
        }
        for (int t = 0; t < masks.Length; t++) masks[t] += 1;
    }

    private readonly Node _root = new();

    private sealed class Node
    {
        public int Mask;
        public Dictionary<string, Node>? Next;
    }
}
