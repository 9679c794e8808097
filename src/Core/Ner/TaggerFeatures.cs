using System.Text;
using ServeNet.Core.Text;

namespace ServeNet.Core.Ner;

/// <summary>Which features the window tagger sees per token; stored in the checkpoint.</summary>
/// <param name="Window">Tokens on each side of the tagged one (2 → a window of 5).</param>
/// <param name="AffixLength">Length of the suffix/prefix features (0: none).</param>
/// <param name="CharNgrams">Character trigrams per token (case kept, with word boundaries, hashed into
/// <paramref name="CharBuckets"/> buckets) averaged into one embedding; 0: none. A word longer than that
/// keeps its first and last trigrams.</param>
/// <param name="CasedWords">A second word feature looked up with case kept, in a vocabulary of the cased
/// training words ("US" and "us", "Apple" and "apple" apart).</param>
/// <param name="ContextAlpha">Forgetting factor of the sentence-wide left and right context encodings (FOFE); 0: none.</param>
/// <param name="CharFilters">Filters of the character convolution over each token (case kept); 0: none.</param>
/// <param name="CharWidth">Characters each filter sees.</param>
/// <param name="MaxChars">Characters of a token the convolution reads (first and last half of longer words).</param>
/// <param name="Mentions">Each token also sees the mean window of the other mentions of the same capitalised word in
/// its document (one submitted text).</param>
/// <param name="Clusters">Word classes (k-means over the embeddings) as one more id per token: the class of the
/// token's word id, stored per word in the checkpoint; 0: none.</param>
/// <param name="Gazetteer">One more id per token: the categories of the listed names covering it (see <see cref="Ner.Gazetteer"/>),
/// the lists stored in the checkpoint.</param>
public sealed record TaggerFeatureSettings(int Window = 2, bool Suffix = true, bool Prefix = true, int AffixLength = 3,
    int CharNgrams = 0, int CharBuckets = 0, bool CasedWords = false, float ContextAlpha = 0f, int CharFilters = 0,
    int CharWidth = 3, int MaxChars = 20, bool Mentions = false, int Clusters = 0, bool Gazetteer = false)
{
    /// <summary>The feature set this code reads; checkpoints that need a later one are refused.</summary>
    public const int CurrentVersion = 4;

    /// <summary>1: window features only; 2: cased words, sentence context, characters, mentions; 3: word clusters; 4: gazetteer.</summary>
    public int Version { get; init; } = CurrentVersion;
}

/// <summary>
/// Turns a sentence's tokens into window rows of feature ids for <see cref="Layers.ConcatEmbedding"/>:
/// per position (−w..+w) the word id, the shape class and optionally suffix and prefix ids, with
/// padding ids (0) beyond the sentence edges. Table order: words, shapes, suffixes, prefixes, character n-grams,
/// cased words, word clusters, gazetteer matches (each when on).
/// </summary>
public sealed class TaggerFeatures
{
    public TaggerFeatures(TaggerFeatureSettings settings, Vocabulary words, Vocabulary? suffixes, Vocabulary? prefixes,
        Vocabulary? casedWords = null, Vocabulary? chars = null, int[]? wordClusters = null, Gazetteer? gazetteer = null)
    {
        if (settings.Gazetteer && gazetteer is null) throw new ArgumentException("Gazetteer features need the name lists.");
        if (settings.Clusters > 0 && wordClusters?.Length != words.Count)
            throw new ArgumentException($"Word clusters need a cluster row per word: {words.Count}, got {wordClusters?.Length ?? 0}.");
        if (settings.Suffix && suffixes is null) throw new ArgumentException("Suffix features need a suffix vocabulary.");
        if (settings.Prefix && prefixes is null) throw new ArgumentException("Prefix features need a prefix vocabulary.");
        if (settings.CasedWords && casedWords is null) throw new ArgumentException("Cased word features need a cased vocabulary.");
        if (settings.CharFilters > 0 && chars is null) throw new ArgumentException("The character convolution needs a character vocabulary.");
        Settings = settings;
        Words = words;
        Suffixes = settings.Suffix ? suffixes : null;
        Prefixes = settings.Prefix ? prefixes : null;
        CasedWords = settings.CasedWords ? casedWords : null;
        Chars = settings.CharFilters > 0 ? chars : null;
        WordClusters = settings.Clusters > 0 ? wordClusters : null;
        Gazetteer = settings.Gazetteer ? gazetteer : null;
        if (Chars is not null)
        {
            _charIds = [];
            for (int id = 2; id < Chars.Count; id++)
                if (Rune.TryGetRuneAt(Chars.WordOf(id), 0, out var rune)) _charIds[rune.Value] = id;
        }
        if (settings.CharNgrams > 0 && settings.CharBuckets <= 0) throw new ArgumentException("Character n-grams need CharBuckets > 0.");
        var tables = new List<int> { 0, 1 };
        if (Suffixes is not null) tables.Add(2);
        if (Prefixes is not null) tables.Add(tables.Count);
        int ngramTable = tables.Count;
        Tables = tables.Count + (settings.CharNgrams > 0 ? 1 : 0);
        for (int i = 0; i < settings.CharNgrams; i++) tables.Add(ngramTable);
        if (CasedWords is not null)
        {
            CasedSlot = tables.Count;
            tables.Add(Tables++);
        }
        if (WordClusters is not null) tables.Add(Tables++);
        if (Gazetteer is not null) tables.Add(Tables++);
        PerToken = tables.Count;
        SlotTables = Enumerable.Range(0, 2 * settings.Window + 1).SelectMany(_ => tables).ToArray();
        // Every feature is its own group, except a token's character n-grams, which form one bag.
        var groups = new int[SlotTables.Length];
        int group = -1;
        for (int slot = 0; slot < groups.Length; slot++)
        {
            int k = slot % PerToken, firstNgram = NgramSlot;
            bool continuesBag = settings.CharNgrams > 0 && k > firstNgram && k < firstNgram + settings.CharNgrams;
            groups[slot] = continuesBag ? group : ++group;
        }
        SlotGroups = groups;
    }

    /// <summary>Position of the first character n-gram among a token's features.</summary>
    private int NgramSlot => 2 + (Suffixes is null ? 0 : 1) + (Prefixes is null ? 0 : 1);

    /// <summary>Embedding tables: words, shapes, then suffixes, prefixes, character n-grams, cased words, word clusters, gazetteer when on.</summary>
    public int Tables { get; }

    /// <summary>The averaging group of each slot (see <see cref="Layers.ConcatEmbedding"/>).</summary>
    public int[] SlotGroups { get; }

    /// <summary>Position of the cased word id among a token's features (−1: none).</summary>
    public int CasedSlot { get; } = -1;

    /// <summary>Rows of the word-cluster table: padding 0, no vector 1, then the clusters.</summary>
    public int ClusterRows => Settings.Clusters + 2;

    /// <summary>The cluster row of each word id (see <see cref="ClusterRows"/>), or null without clusters.</summary>
    public int[]? WordClusters { get; }

    /// <summary>The name lists whose matches are a feature, or null without.</summary>
    public Gazetteer? Gazetteer { get; }

    /// <summary>Rows of the character n-gram table: the buckets plus the padding id 0.</summary>
    public int CharRows => Settings.CharBuckets + 1;

    public TaggerFeatureSettings Settings { get; }
    public Vocabulary Words { get; }
    public Vocabulary? Suffixes { get; }
    public Vocabulary? Prefixes { get; }
    public Vocabulary? CasedWords { get; }
    /// <summary>Single characters (case kept) of the character convolution.</summary>
    public Vocabulary? Chars { get; }

    /// <summary>Feature ids per token.</summary>
    public int PerToken { get; }

    /// <summary>Ids per window row: (2w + 1) · PerToken.</summary>
    public int Slots => SlotTables.Length;

    /// <summary>The embedding table each slot of a row looks up.</summary>
    public int[] SlotTables { get; }

    /// <summary>Word id: the lowercased token, else its digit shape, else unknown.</summary>
    public int WordId(string token)
    {
        var buffer = token.Length <= MaxTokenOnStack ? stackalloc char[2 * token.Length] : new char[2 * token.Length];
        return WordId(token, buffer);
    }

    // Keys written into scratch (2 × the token's length), looked up by span: no string per token.
    private int WordId(ReadOnlySpan<char> token, Span<char> scratch)
    {
        var key = WordKeys.Primary(token, scratch[..token.Length]);
        if (Words.TryGetId(key, out int id)) return id;
        var shape = WordKeys.DigitShape(key, scratch[token.Length..]);
        return shape != key && Words.TryGetId(shape, out id) ? id : Vocabulary.UnknownId;
    }

    private const int MaxTokenOnStack = 128;

    /// <summary>Per-token feature ids [n, PerToken].</summary>
    public void TokenFeatures(IReadOnlyList<string> tokens, Span<int> features)
    {
        // Phrases span tokens: the whole sentence is matched first.
        int[]? matches = null;
        if (Gazetteer is not null)
        {
            matches = System.Buffers.ArrayPool<int>.Shared.Rent(tokens.Count);
            Gazetteer.Match(tokens, matches);
        }
        Span<char> stack = stackalloc char[2 * MaxTokenOnStack];
        for (int t = 0; t < tokens.Count; t++)
        {
            string token = tokens[t];
            var scratch = token.Length <= MaxTokenOnStack ? stack : new char[2 * token.Length];
            var f = features.Slice(t * PerToken, PerToken);
            int k = 0, word = WordId(token, scratch);
            f[k++] = word;
            f[k++] = WordShape.Of(token);
            if (Suffixes is not null) f[k++] = Suffixes.IdOf(WordKeys.Suffix(token, Settings.AffixLength, scratch));
            if (Prefixes is not null) f[k++] = Prefixes.IdOf(WordKeys.Prefix(token, Settings.AffixLength, scratch));
            if (Settings.CharNgrams > 0) CharTrigrams(token, f.Slice(k, Settings.CharNgrams));
            k += Settings.CharNgrams;
            if (CasedWords is not null) f[k++] = CasedWordId(token, scratch);
            if (WordClusters is not null) f[k++] = WordClusters[word];
            if (matches is not null) f[k++] = matches[t];
        }
        if (matches is not null) System.Buffers.ArrayPool<int>.Shared.Return(matches);
    }

    /// <summary>Cased word id: the token as written, else its digit shape, else unknown.</summary>
    public int CasedWordId(string token) =>
        CasedWordId(token, token.Length <= MaxTokenOnStack ? stackalloc char[token.Length] : new char[token.Length]);

    private int CasedWordId(ReadOnlySpan<char> token, Span<char> scratch)
    {
        if (CasedWords!.TryGetId(token, out int id)) return id;
        var shape = WordKeys.DigitShape(token, scratch);
        return shape != token && CasedWords.TryGetId(shape, out id) ? id : Vocabulary.UnknownId;
    }

    /// <summary>Writes the character ids of a token (case kept; unknown characters share id 1); returns how many (≤ token.Length).</summary>
    public int CharIds(string token, Span<int> ids)
    {
        int n = 0;
        foreach (var rune in token.EnumerateRunes()) ids[n++] = _charIds!.GetValueOrDefault(rune.Value, Vocabulary.UnknownId);
        return n;
    }

    // Characters by code point: no string per character when serving.
    private readonly Dictionary<int, int>? _charIds;

    /// <summary>The key under which a token's other mentions in a document are pooled, or null if it takes no part
    /// (only capitalised words do: names, not function words).</summary>
    public static string? MentionKey(string token) => WordShape.IsCapitalised(token) ? token.ToLowerInvariant() : null;

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
}
