using ServeNet.Core.Text;

namespace ServeNet.Core.Ner;

/// <summary>Which features the window tagger sees per token; stored in the checkpoint.</summary>
/// <param name="Window">Tokens on each side of the tagged one (2 → a window of 5).</param>
/// <param name="AffixLength">Length of the suffix/prefix features (0: none).</param>
public sealed record TaggerFeatureSettings(int Window = 2, bool Suffix = true, bool Prefix = true, int AffixLength = 3);

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
        var tables = new List<int> { 0, 1 };
        if (Suffixes is not null) tables.Add(2);
        if (Prefixes is not null) tables.Add(Suffixes is null ? 2 : 3);
        PerToken = tables.Count;
        SlotTables = Enumerable.Range(0, 2 * settings.Window + 1).SelectMany(_ => tables).ToArray();
    }

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
            if (Prefixes is not null) f[k] = Prefixes.IdOf(WordKeys.Prefix(tokens[t], Settings.AffixLength));
        }
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
