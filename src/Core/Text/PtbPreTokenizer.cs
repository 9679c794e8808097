using Microsoft.ML.Tokenizers;

namespace ServeNet.Core.Text;

/// <summary>
/// Splits raw text into Penn-Treebank-style tokens, as (offset, length) spans of the original
/// string in UTF-16 code units: punctuation apart, "n't" and "'s"/"'re"/"'ve"/"'m"/"'ll"/"'d"
/// split from their word, "``" / "''" / "..." / "--" kept whole, hyphenated words, numbers like
/// "1,000" / "10:30" / "1/2" and abbreviations like "U.S." / "Mr." kept whole. Whitespace and
/// control characters separate tokens and are never part of one; a surrogate pair stays together.
/// PTB escapes of already-tokenized text ("-lrb-", "\/", "\*") are read as the characters they
/// stand for, so a corpus line and the raw sentence it came from segment alike.
/// </summary>
public sealed class PtbPreTokenizer : PreTokenizer
{
    public static PtbPreTokenizer Instance { get; } = new();

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "jr", "sr", "inc", "corp", "co", "ltd", "no", "gen", "gov",
        "sen", "rep", "lt", "col", "sgt", "capt", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
        "oct", "nov", "dec", "etc", "al", "approx", "dept", "est", "fig", "vol", "messrs", "bros",
    };

    // Read by span: a word before a period is checked without becoming a string.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> AbbreviationsBySpan = Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] ContractionSuffixes = ["'s", "'re", "'ve", "'m", "'ll", "'d"];

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text ?? "");

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    /// <summary>All token spans of <paramref name="text"/>, in order.</summary>
    public static List<(int Offset, int Length)> Split(string text)
    {
        var tokens = new List<(int Offset, int Length)>();
        Split(text, tokens);
        return tokens;
    }

    /// <summary>Appends the token spans of <paramref name="text"/> to <paramref name="tokens"/> (a list kept between calls allocates nothing).</summary>
    public static void Split(string text, List<(int Offset, int Length)> tokens)
    {
        var sink = new ListSink(tokens);
        Scan(text, ref sink);
    }

    /// <summary>
    /// How many tokens <see cref="Split"/> gives, counted without allocating and stopping once the
    /// count exceeds <paramref name="stopAbove"/> (a request's cost is checked in time bounded by its limit).
    /// </summary>
    /// <returns>The count, or a number above <paramref name="stopAbove"/> when there are more.</returns>
    public static int Count(string text, int stopAbove = int.MaxValue)
    {
        var sink = new CountSink(stopAbove);
        Scan(text, ref sink);
        return sink.Count;
    }

    // Receives token spans in order; returns false to stop the scan.
    private interface ITokenSink
    {
        bool Add(int offset, int length);
    }

    private struct ListSink(List<(int, int)> tokens) : ITokenSink
    {
        public readonly List<(int, int)> Tokens = tokens;

        public readonly bool Add(int offset, int length)
        {
            Tokens.Add((offset, length));
            return true;
        }
    }

    private struct CountSink(int stopAbove) : ITokenSink
    {
        public int Count;

        public bool Add(int offset, int length) => ++Count <= stopAbove;
    }

    // The one segmentation loop, for every sink (list of spans, count).
    private static void Scan<TSink>(string text, ref TSink sink) where TSink : struct, ITokenSink
    {
        int i = 0, end = text.Length;
        while (i < end)
        {
            char c = text[i];
            if (IsSeparator(c))
            {
                i++;
                continue;
            }
            int length = MatchSymbol(text, i);
            if (length > 0)
            {
                if (!sink.Add(i, length)) return;
                i += length;
                continue;
            }
            int wordEnd = ScanWord(text, i);
            if (!AddWord(text, i, wordEnd, ref sink)) return;
            i = wordEnd;
        }
    }

    /// <summary>Whitespace, control and invisible format characters (NUL, zero-width space, bidi marks…).</summary>
    /// <remarks>In ASCII (most of any text) exactly the characters up to the space, and DEL.</remarks>
    public static bool IsSeparator(char c) => char.IsAscii(c)
        ? c <= ' ' || c == '\x7F'
        : char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    // In ASCII exactly the letters and digits (ASCII has no marks).
    internal static bool IsWordChar(char c) => char.IsAscii(c)
        ? char.IsAsciiLetterOrDigit(c)
        : char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark;

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    // Length of a punctuation/symbol token starting at i, or 0 if a word starts there.
    private static int MatchSymbol(string text, int i)
    {
        char c = text[i];
        char next = i + 1 < text.Length ? text[i + 1] : '\0';
        if (IsWordChar(c)) return 0;
        if (IsApostrophe(c))
        {
            if (char.IsDigit(next)) return 0; // '70s
            int run = i + 1;
            while (run < text.Length && char.IsLetter(text[run])) run++;
            if (run > i + 1 && (run == text.Length || !IsWordChar(text[run])) && IsContractionSuffix(text, i, run)) return run - i; // 's
            return next == c ? 2 : 1; // '' or '
        }
        if (c == '`') return next == '`' ? 2 : 1;
        if (c == '.' && next == '.')
        {
            int run = i;
            while (run < text.Length && text[run] == '.') run++;
            return run - i; // ... (or any run of dots)
        }
        if (c == '-' && IsBracketEscape(text, i)) return 5; // -lrb- … as found in already-tokenized text
        if (IsEscapedSlashOrStar(text, i)) return 2; // \/ or \* on its own
        if (c == '-' && next == '-')
        {
            int run = i;
            while (run < text.Length && text[run] == '-') run++;
            return run - i; // -- or ---
        }
        if (char.IsHighSurrogate(c) && char.IsLowSurrogate(next)) return char.IsLetterOrDigit(text, i) ? 0 : 2;
        return 1;
    }

    /// <summary>The PTB escapes "\/" and "\*" (SST writes "/" and "*" so).</summary>
    internal static bool IsEscapedSlashOrStar(string text, int i) =>
        text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '/' or '*';

    private static bool IsBracketEscape(string text, int i)
    {
        if (i + 5 > text.Length || text[i + 4] != '-' || (i + 5 < text.Length && WordCharWidth(text, i + 5) > 0)) return false;
        var inner = text.AsSpan(i + 1, 3);
        foreach (var escape in (ReadOnlySpan<string>)["lrb", "rrb", "lsb", "rsb", "lcb", "rcb"])
            if (inner.Equals(escape, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsContractionSuffix(string text, int start, int end)
    {
        var candidate = text.AsSpan(start, end - start);
        foreach (var suffix in ContractionSuffixes)
            if (candidate.Length == suffix.Length && candidate[1..].Equals(suffix.AsSpan(1), StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    // A word: letters/digits/marks, joined by - . ' / & _ @ (and , : between digits) when a word
    // character follows; a trailing "." is kept for abbreviations.
    private static int ScanWord(string text, int start)
    {
        // The first character is a word character (2 code units for a letter outside the BMP, such as 𝐁 or 𠜎), or the apostrophe of '70s.
        int j = start + Math.Max(1, WordCharWidth(text, start));
        while (j < text.Length)
        {
            // The common case first, in a tight loop: a run of ASCII letters and digits.
            while (char.IsAsciiLetterOrDigit(text[j]))
                if (++j == text.Length) return j;
            int width = WordCharWidth(text, j);
            if (width > 0)
            {
                j += width;
                continue;
            }
            char d = text[j];
            bool nextIsWord = j + 1 < text.Length && WordCharWidth(text, j + 1) > 0;
            bool betweenDigits = nextIsWord && char.IsDigit(text[j - 1]) && char.IsDigit(text[j + 1]);
            if (nextIsWord && (d is '-' or '.' or '/' or '&' or '_' or '@' || IsApostrophe(d) || (d is ',' or ':' && betweenDigits)))
            {
                j++;
                continue;
            }
            if (IsEscapedSlashOrStar(text, j) && text[j + 1] == '/' && j + 2 < text.Length && WordCharWidth(text, j + 2) > 0)
            {
                j += 2; // writer\/director: the escaped form of writer/director
                continue;
            }
            break;
        }
        if (j < text.Length && text[j] == '.' && IsAbbreviation(text.AsSpan(start, j - start))) j++;
        return j;
    }

    // 1 or 2 (a surrogate pair) if a word character starts at i, else 0 (lone surrogates are not words).
    private static int WordCharWidth(string text, int i)
    {
        char c = text[i];
        if (char.IsHighSurrogate(c))
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) && char.IsLetterOrDigit(text, i) ? 2 : 0;
        return IsWordChar(c) ? 1 : 0;
    }

    private static bool IsAbbreviation(ReadOnlySpan<char> word)
    {
        if (word.Length == 1) return char.IsLetter(word[0]); // initials: "J."
        if (word.Contains('.'))
        {
            // U.S, e.g, a.m: single letters separated by periods
            foreach (var part in word.ToString().Split('.'))
                if (part.Length != 1 || !char.IsLetter(part[0])) return false;
            return true;
        }
        return AbbreviationsBySpan.Contains(word);
    }

    private static bool AddWord<TSink>(string text, int start, int end, ref TSink sink) where TSink : struct, ITokenSink
    {
        int length = end - start;
        var word = text.AsSpan(start, length);
        // Every split below ends in an apostrophe two or three characters from the end, or is "cannot": most words are neither.
        if (length != 6 && !(length > 2 && (IsApostrophe(word[^2]) || IsApostrophe(word[^3])))) return sink.Add(start, length);
        // do|n't, ca|n't, wo|n't: the "n't" is its own token unless it is the whole word.
        if (length > 3 && (word.EndsWith("n't", StringComparison.OrdinalIgnoreCase) || word.EndsWith("n\u2019t", StringComparison.OrdinalIgnoreCase)))
            return sink.Add(start, length - 3) && sink.Add(end - 3, 3);
        if (word.Equals("cannot", StringComparison.OrdinalIgnoreCase))
            return sink.Add(start, 3) && sink.Add(start + 3, 3);
        foreach (var suffix in ContractionSuffixes)
        {
            if (length <= suffix.Length) continue;
            var tail = word[^suffix.Length..];
            if (IsApostrophe(tail[0]) && tail[1..].Equals(suffix.AsSpan(1), StringComparison.OrdinalIgnoreCase))
                return sink.Add(start, length - suffix.Length) && sink.Add(end - suffix.Length, suffix.Length);
        }
        return sink.Add(start, length);
    }
}
