namespace ServeNet.Core.Embeddings;

/// <summary>
/// Text prepared for skip-gram training: the vocabulary (words seen at least MinCount times, most
/// frequent first) with counts, and every sentence as ids in one flat array. Words below the
/// count are removed from the text, as word2vec does, so windows reach over them.
/// </summary>
public sealed class SkipGramCorpus
{
    private SkipGramCorpus(string[] words, long[] counts, int[] tokens, int[] sentenceStarts)
    {
        Words = words;
        Counts = counts;
        Tokens = tokens;
        SentenceStarts = sentenceStarts;
        TotalCount = counts.Sum();
    }

    /// <summary>Words by id, most frequent first (ties in ordinal order).</summary>
    public IReadOnlyList<string> Words { get; }
    public long[] Counts { get; }
    /// <summary>All sentences' ids back to back: sentence s is Tokens[SentenceStarts[s] .. SentenceStarts[s+1]).</summary>
    public int[] Tokens { get; }
    public int[] SentenceStarts { get; }
    public int Sentences => SentenceStarts.Length - 1;
    public long TotalCount { get; }

    /// <summary>Counts every word of the sentences (one pass), keeps those seen minCount times or more.</summary>
    public static SkipGramCorpus Build(IEnumerable<IReadOnlyList<string>> sentences, int minCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        var provisional = new Dictionary<string, int>(StringComparer.Ordinal);
        var provisionalCounts = new List<long>();
        var tokens = new List<int>();
        var starts = new List<int> { 0 };
        foreach (var sentence in sentences)
        {
            foreach (var word in sentence)
            {
                if (!provisional.TryGetValue(word, out int id))
                {
                    provisional[word] = id = provisional.Count;
                    provisionalCounts.Add(0);
                }
                provisionalCounts[id]++;
                tokens.Add(id);
            }
            starts.Add(tokens.Count);
        }

        var kept = provisional.Where(kv => provisionalCounts[kv.Value] >= minCount)
            .OrderByDescending(kv => provisionalCounts[kv.Value]).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var remap = new int[provisional.Count];
        Array.Fill(remap, -1);
        for (int i = 0; i < kept.Length; i++) remap[kept[i].Value] = i;

        var flat = new List<int>(tokens.Count);
        var sentenceStarts = new int[starts.Count];
        for (int s = 0; s + 1 < starts.Count; s++)
        {
            for (int t = starts[s]; t < starts[s + 1]; t++)
                if (remap[tokens[t]] >= 0) flat.Add(remap[tokens[t]]);
            sentenceStarts[s + 1] = flat.Count;
        }
        return new SkipGramCorpus(kept.Select(kv => kv.Key).ToArray(), kept.Select(kv => provisionalCounts[kv.Value]).ToArray(),
            flat.ToArray(), sentenceStarts);
    }
}
