namespace ServeNet.Core.Text;

/// <summary>
/// How token text is normalised after segmentation; stored in every checkpoint so serving
/// tokenizes exactly as training did.
/// </summary>
/// <param name="Lowercase">Lowercase every token (the SST corpus is lowercased).</param>
/// <param name="PtbEscapes">Penn Treebank escapes: brackets as -lrb-/-rrb-…, quotes as `` and '',
/// "/" as "\/" and "*" as "\*" (SST's conventions). Off for CoNLL, which keeps raw characters.</param>
public sealed record TokenizerSettings(bool Lowercase, bool PtbEscapes)
{
    /// <summary>SST: lowercased PTB tokens.</summary>
    public static TokenizerSettings Sentiment { get; } = new(Lowercase: true, PtbEscapes: true);

    /// <summary>CoNLL-2003: PTB segmentation, case and characters kept.</summary>
    public static TokenizerSettings Ner { get; } = new(Lowercase: false, PtbEscapes: false);
}
