using ServeNet.Core.Text;

namespace ServeNet.Core.Ner;

/// <summary>Which features the window tagger sees per token; stored in the checkpoint.</summary>
/// <param name="Window">Tokens on each side of the tagged one (2 → a window of 5).</param>
/// <param name="AffixLength">Length of the suffix/prefix features (0: none).</param>
/// <param name="CharNgrams">Character trigrams per token (case kept, with word boundaries, hashed into
/// <paramref name="CharBuckets"/> buckets) averaged into one embedding; 0: none. A word longer than that
/// keeps its first and last trigrams.</param>
public sealed record TaggerFeatureSettings(int Window = 2, bool Suffix = true, bool Prefix = true, int AffixLength = 3,
    int CharNgrams = 0, int CharBuckets = 0);

/// <summary>
/// Turns a sentence's tokens into window rows of feature ids for <see cref="Layers.ConcatEmbedding"/>:
/// per position (−w..+w) the word id, the shape class and optionally suffix and prefix ids, with
/// padding ids (0) beyond the sentence edges. Table order: words, shapes, suffixes, prefixes.
/// </summary>
public sealed class TaggerFeatures
{
    public TaggerFeatures(TaggerFeatureSettings settings, Vocabulary words, Vocabulary? suffixes, Vocabulary? prefixes)
    {
        if (settings.Suffix && suffixes is null) throw new ArgumentException("Suffix features need a suffix vocabulary.");
        if (settings.Prefix && prefixes is null) throw new ArgumentException("Prefix features need a prefix vocabulary.");
        Settings = settings;
        Words = words;
        Suffixes = settings.Suffix ? suffixes : null;
        Prefixes = settings.Prefix ? prefixes : null;
        if (settings.CharNgrams > 0 && settings.CharBuckets <= 0) throw new ArgumentException("Character n-grams need CharBuckets > 0.");
        var tables = new List<int> { 0, 1 };
        if (Suffixes is not null) tables.Add(2);
        if (Prefixes is not null) tables.Add(tables.Count);
        Tables = tables.Count + (settings.CharNgrams > 0 ? 1 : 0);
        for (int i = 0; i < settings.CharNgrams; i++) tables.Add(Tables - 1);
        PerToken = tables.Count;
        SlotTables = Enumerable.Range(0, 2 * settings.Window + 1).SelectMany(_ => tables).ToArray();
        // Every feature is its own group, except a token's character n-grams, which form one bag.
        var groups = new int[SlotTables.Length];
        int group = -1;
        for (int slot = 0; slot < groups.Length; slot++)
        {
            bool continuesBag = settings.CharNgrams > 0 && slot % PerToken > PerToken - settings.CharNgrams;
            groups[slot] = continuesBag ? group : ++group;
        }
        SlotGroups = groups;
    }

    /// <summary>Embedding tables: words, shapes, then suffixes, prefixes, character n-grams when on.</summary>
    public int Tables { get; }

    /// <summary>The averaging group of each slot (see <see cref="Layers.ConcatEmbedding"/>).</summary>
    public int[] SlotGroups { get; }

    /// <summary>Rows of the character n-gram table: the buckets plus the padding id 0.</summary>
    public int CharRows => Settings.CharBuckets + 1;

    public TaggerFeatureSettings Settings { get; }
    public Vocabulary Words { get; }
    public Vocabulary? Suffixes { get; }
    public Vocabulary? Prefixes { get; }

    /// <summary>Feature ids per token.</summary>
    public int PerToken { get; }

    /// <summary>Ids per window row: (2w + 1) · PerToken.</summary>
    public int Slots => SlotTables.Length;

    /// <summary>The embedding table each slot of a row looks up.</summary>
    public int[] SlotTables { get; }

    /// <summary>Word id: the lowercased token, else its digit shape, else unknown.</summary>
    public int WordId(string token)
    {
        string key = WordKeys.Primary(token);
        if (Words.TryGetId(key, out int id)) return id;
        string shape = WordKeys.DigitShape(key);
        return shape != key && Words.TryGetId(shape, out id) ? id : Vocabulary.UnknownId;
    }

    /// <summary>Per-token feature ids [n, PerToken].</summary>
    public void TokenFeatures(IReadOnlyList<string> tokens, Span<int> features)
    {
        for (int t = 0; t < tokens.Count; t++)
        {
            var f = features.Slice(t * PerToken, PerToken);
            int k = 0;
            f[k++] = WordId(tokens[t]);
            f[k++] = WordShape.Of(tokens[t]);
            if (Suffixes is not null) f[k++] = Suffixes.IdOf(WordKeys.Suffix(tokens[t], Settings.AffixLength));
            if (Prefixes is not null) f[k++] = Prefixes.IdOf(WordKeys.Prefix(tokens[t], Settings.AffixLength));
            if (Settings.CharNgrams > 0) CharTrigrams(tokens[t], f[k..]);
        }
    }

    /// <summary>Ids 1..CharBuckets of the token's character trigrams ("&lt;Pa", "Par", …, "is&gt;"), 0 for unused slots.</summary>
    public void CharTrigrams(string token, Span<int> slots)
    {
        slots.Clear();
        int count = token.Length; // trigrams of "<token>": (length + 2) − 2
        int keep = Math.Min(count, slots.Length), head = (keep + 1) / 2;
        for (int k = 0; k < keep; k++)
        {
            int start = k < head || count <= slots.Length ? k : count - (keep - k);
            slots[k] = 1 + (int)(Fnv1a(token, start) % (uint)Settings.CharBuckets);
        }
    }

    // FNV-1a over the trigram starting at position start of "<token>": stable across processes and platforms.
    private static uint Fnv1a(string token, int start)
    {
        uint hash = 2166136261;
        for (int i = start; i < start + 3; i++)
        {
            char c = i == 0 ? '<' : i - 1 < token.Length ? token[i - 1] : '>';
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }

    /// <summary>Window rows [n, Slots] from token features [n, PerToken].</summary>
    public void Windows(ReadOnlySpan<int> tokenFeatures, int n, Span<int> windows)
    {
        int w = Settings.Window, f = PerToken;
        for (int t = 0; t < n; t++)
        {
            var row = windows.Slice(t * Slots, Slots);
            for (int offset = -w; offset <= w; offset++)
            {
                var slot = row.Slice((offset + w) * f, f);
                int source = t + offset;
                if (source < 0 || source >= n) slot.Clear(); // padding ids are 0 in every table
                else tokenFeatures.Slice(source * f, f).CopyTo(slot);
            }
        }
    }

    /// <summary>Window rows [Σn, Slots] of tokenized sentences laid back to back; starts [sentences + 1] in rows.</summary>
    public (int[] Windows, int[] Starts) Encode(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var starts = new int[sentences.Count + 1];
        int longest = 0;
        for (int i = 0; i < sentences.Count; i++)
        {
            starts[i + 1] = starts[i] + sentences[i].Count;
            longest = Math.Max(longest, sentences[i].Count);
        }
        var windows = new int[starts[^1] * Slots];
        var features = new int[longest * PerToken];
        for (int i = 0; i < sentences.Count; i++)
        {
            int n = sentences[i].Count;
            TokenFeatures(sentences[i], features);
            Windows(features, n, windows.AsSpan(starts[i] * Slots, n * Slots));
        }
        return (windows, starts);
    }
}
