using System.Text;

namespace ServeNet.Api.Predictions;

/// <summary>
/// Converts UTF-16 offsets into a text (what the tokenizer gives) to another <see cref="OffsetUnit"/>.
/// Offsets never fall inside a surrogate pair (tokens are whole characters; lone surrogates are refused
/// before a text gets here). For UTF-16 it is the identity and costs nothing; otherwise the text is scanned
/// once, lazily, into a table of the offset of every UTF-16 position: (length + 1) ints.
/// </summary>
public sealed class Offsets
{
    private readonly string _text;
    private readonly OffsetUnit _unit;
    private int[]? _table; // [i] = offset in _unit of UTF-16 position i; [length] = length in _unit

    public Offsets(string text, OffsetUnit unit)
    {
        _text = text;
        _unit = unit;
    }

    public int this[int utf16] => _unit == OffsetUnit.Utf16 ? utf16 : (_table ??= Table(_text, _unit))[utf16];

    /// <summary>[i] = offset of UTF-16 position i counted in <paramref name="unit"/>, for i in 0..text.Length.</summary>
    public static int[] Table(string text, OffsetUnit unit)
    {
        var table = new int[text.Length + 1];
        int offset = 0;
        for (int i = 0; i < text.Length; i++)
        {
            table[i] = offset;
            char c = text[i];
            offset += unit switch
            {
                OffsetUnit.CodePoints => char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) ? 0 : 1,
                // A surrogate pair is 4 bytes: counted on its high half, the low half adds none.
                OffsetUnit.Utf8 => c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) ? 4 : char.IsLowSurrogate(c) ? 0 : 3,
                _ => 1,
            };
        }
        table[text.Length] = offset;
        return table;
    }

    /// <summary>The slow, obvious definition the table is tested against: the unit's length of the text's first <paramref name="utf16"/> code units.</summary>
    public static int Reference(string text, int utf16, OffsetUnit unit) => unit switch
    {
        OffsetUnit.CodePoints => text[..utf16].EnumerateRunes().Count(),
        OffsetUnit.Utf8 => Encoding.UTF8.GetByteCount(text[..utf16]),
        _ => utf16,
    };
}
