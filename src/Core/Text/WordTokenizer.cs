using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace ServeNet.Core.Text;

/// <summary>
/// The one tokenizer of training and serving, as a Microsoft.ML.Tokenizers <see cref="Tokenizer"/>:
/// <see cref="PtbPreTokenizer"/> segments raw text, then each token is normalised to the corpus's
/// conventions (<see cref="TokenizerSettings"/>) and mapped to a vocabulary id. Offsets always
/// point into the original text.
/// </summary>
public sealed class WordTokenizer(TokenizerSettings settings, Vocabulary? vocabulary = null) : Tokenizer
{
    public TokenizerSettings Settings { get; } = settings;
    public Vocabulary? Vocabulary { get; } = vocabulary;
    public override PreTokenizer PreTokenizer => PtbPreTokenizer.Instance;

    /// <summary>Segments and normalises; no vocabulary needed.</summary>
    public List<TextToken> Tokenize(string text)
    {
        var spans = PtbPreTokenizer.Split(text);
        var tokens = new List<TextToken>(spans.Count);
        foreach (var (offset, length) in spans) tokens.Add(new TextToken(Normalize(text, offset, length), offset, length));
        return tokens;
    }

    /// <summary>
    /// Segments and normalises <paramref name="text"/> into <paramref name="tokens"/> (cleared first):
    /// every normal form lands in one reused buffer, so the serving path makes no string per token.
    /// </summary>
    public void Tokenize(string text, TokenSpans tokens)
    {
        tokens.Reset();
        PtbPreTokenizer.Split(text, tokens.Segments);
        foreach (var (offset, length) in tokens.Segments)
        {
            var destination = tokens.Reserve(MaxNormalizedLength(length));
            tokens.Commit(offset, length, NormalizeInto(text, offset, length, destination));
        }
    }

    /// <summary>The corpus form of text[start..start+length).</summary>
    public string Normalize(string text, int start, int length)
    {
        var symbol = Symbol(text, start, length);
        if (symbol is not null) return symbol;
        int capacity = MaxNormalizedLength(length);
        Span<char> buffer = capacity <= 256 ? stackalloc char[capacity] : new char[capacity];
        return new string(buffer[..NormalizeInto(text, start, length, buffer)]);
    }

    /// <summary>The most characters the normal form of a token of <paramref name="length"/> characters can have:
    /// "/" and "*" gain a backslash, a bracket becomes "-lrb-".</summary>
    public static int MaxNormalizedLength(int length) => Math.Max(2 * length, 5);

    // The characters that normalisation rewrites beyond lowercasing.
    private static readonly SearchValues<char> Rewritten = SearchValues.Create("/*\u2018\u2019");

    /// <summary>Writes the corpus form of text[start..start+length) to <paramref name="destination"/>
    /// (at least <see cref="MaxNormalizedLength"/> long) and returns its length.</summary>
    public int NormalizeInto(string text, int start, int length, Span<char> destination)
    {
        var symbol = Symbol(text, start, length);
        if (symbol is not null)
        {
            symbol.CopyTo(destination);
            return symbol.Length;
        }
        var raw = text.AsSpan(start, length);
        // The commonest case in one pass: ASCII with nothing to rewrite, lowercased (or copied) as it is read.
        int plain = 0;
        for (; plain < raw.Length; plain++)
        {
            char c = raw[plain];
            if (!char.IsAscii(c) || c is '/' or '*') break;
            destination[plain] = Settings.Lowercase && char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
        }
        if (plain == raw.Length) return plain;
        if (raw.IndexOfAny(Rewritten) < 0)
        {
            // Not ASCII, nothing to rewrite: lowercased by the invariant culture, or copied.
            return Settings.Lowercase ? raw.ToLowerInvariant(destination) : CopyAll(raw, destination);
        }
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '/' or '*') continue; // "\/" is an escaped "/": escaped once below
            switch (c)
            {
                case '\u2019' or '\u2018': destination[n++] = '\''; break;
                case '/' when Settings.PtbEscapes: destination[n++] = '\\'; destination[n++] = '/'; break;
                case '*' when Settings.PtbEscapes: destination[n++] = '\\'; destination[n++] = '*'; break;
                default: destination[n++] = Settings.Lowercase ? char.ToLowerInvariant(c) : c; break;
            }
        }
        return n;
    }

    private static int CopyAll(ReadOnlySpan<char> source, Span<char> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    // A one- or two-character symbol's corpus form (quotes, brackets, escapes), or null.
    private string? Symbol(string text, int start, int length) =>
        length == 1 || (length == 2 && !char.IsLetterOrDigit(text[start]))
            ? NormalizeSymbol(text.AsSpan(start, length), IsOpening(text, start))
            : null;

    private string? NormalizeSymbol(ReadOnlySpan<char> raw, bool opening)
    {
        string? value = raw switch
        {
            "\"" or "\u201C" or "\u201D" or "\u201E" when !Settings.PtbEscapes => "\"",
            "\"" or "\u201E" => opening ? "``" : "''",
            "\u201C" => "``",
            "\u201D" => "''",
            "\u2018" => Settings.PtbEscapes ? "`" : "'",
            "\u2019" => "'",
            "(" when Settings.PtbEscapes => "-lrb-",
            ")" when Settings.PtbEscapes => "-rrb-",
            "[" when Settings.PtbEscapes => "-lsb-",
            "]" when Settings.PtbEscapes => "-rsb-",
            "{" when Settings.PtbEscapes => "-lcb-",
            "}" when Settings.PtbEscapes => "-rcb-",
            "/" or "\\/" when Settings.PtbEscapes => "\\/",
            "*" or "\\*" when Settings.PtbEscapes => "\\*",
            "\\/" => "/",
            "\\*" => "*",
            _ => null,
        };
        return value is not null && Settings.Lowercase ? value.ToLowerInvariant() : value;
    }

    // A straight double quote opens when nothing, a space or an opening bracket precedes it.
    private static bool IsOpening(string text, int start) =>
        start == 0 || PtbPreTokenizer.IsSeparator(text[start - 1]) || text[start - 1] is '(' or '[' or '{' or '\u201C';

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        string source = text ?? textSpan.ToString();
        var tokens = Tokenize(source);
        int count = settings.MaxTokenCount > 0 ? Math.Min(settings.MaxTokenCount, tokens.Count) : tokens.Count;
        var encoded = new List<EncodedToken>(count);
        for (int i = 0; i < count; i++)
        {
            var t = tokens[i];
            encoded.Add(new EncodedToken(Vocabulary?.IdOf(t.Value) ?? -1, t.Value, new Range(t.Start, t.End)));
        }
        return new EncodeResults<EncodedToken>
        {
            Tokens = encoded,
            NormalizedText = null,
            CharsConsumed = count == tokens.Count ? source.Length : tokens[count].Start,
        };
    }

    /// <summary>Joins the vocabulary words of the ids with single spaces (the corpus's own layout).</summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var vocabulary = Vocabulary ?? throw new InvalidOperationException("Decoding needs a vocabulary.");
        idsConsumed = 0;
        charsWritten = 0;
        foreach (int id in ids)
        {
            string word = vocabulary.WordOf(id);
            int needed = word.Length + (idsConsumed > 0 ? 1 : 0);
            if (charsWritten + needed > destination.Length) return OperationStatus.DestinationTooSmall;
            if (idsConsumed > 0) destination[charsWritten++] = ' ';
            word.CopyTo(destination[charsWritten..]);
            charsWritten += word.Length;
            idsConsumed++;
        }
        return OperationStatus.Done;
    }
}
