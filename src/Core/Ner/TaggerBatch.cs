using ServeNet.Core.Tensors;

namespace ServeNet.Core.Ner;

/// <summary>
/// What the tagger's input layer reads for a batch of whole sentences (of whole documents when
/// mentions are pooled), one row per token:
/// <list type="bullet">
/// <item><see cref="Windows"/> [rows, slots]: the ±w window ids (see <see cref="TaggerFeatures.Windows"/>);</item>
/// <item><see cref="Sentences"/> [sentences + 1]: row offsets of the sentences (the span of the sentence-wide context);</item>
/// <item><see cref="Chars"/>, <see cref="CharOffsets"/> [rows + 1]: the character ids of each token;</item>
/// <item><see cref="Mentions"/> [rows]: the first row of the token's mention group in its document, or −1.</item>
/// </list>
/// Parts a model does not use may be empty.
/// </summary>
public readonly struct TaggerBatch(ReadOnlyMemory<int> windows, int rows, int slots, ReadOnlyMemory<int> sentences,
    ReadOnlyMemory<int> chars, ReadOnlyMemory<int> charOffsets, ReadOnlyMemory<int> mentions) : IBatch
{
    public ReadOnlyMemory<int> Windows { get; } = windows;
    public int Rows { get; } = rows;
    public int Slots { get; } = slots;
    public ReadOnlyMemory<int> Sentences { get; } = sentences;
    public ReadOnlyMemory<int> Chars { get; } = chars;
    public ReadOnlyMemory<int> CharOffsets { get; } = charOffsets;
    public ReadOnlyMemory<int> Mentions { get; } = mentions;
}
