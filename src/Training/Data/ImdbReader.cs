using System.Net;
using System.Text.RegularExpressions;

namespace ServeNet.Training.Data;

/// <summary>
/// Reads the IMDB Large Movie Review Dataset as prepared in ../shared/data/imdb: labelled.tsv
/// ("label&lt;TAB&gt;split&lt;TAB&gt;rating&lt;TAB&gt;review") and unlabelled.txt (one review per line).
/// Reviews are raw HTML-ish text: <see cref="Paragraphs"/> turns one into plain paragraphs the
/// sentiment tokenizer reads like any user's text.
/// </summary>
public static partial class ImdbReader
{
    public static List<ImdbReview> ReadLabelled(string path)
    {
        var reviews = new List<ImdbReview>();
        long lineNumber = 0;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t', 4);
            if (fields.Length != 4)
                throw new DataFormatException(path, lineNumber, $"expected 'label<TAB>split<TAB>rating<TAB>review' (4 fields), found {fields.Length}.");
            if (fields[0] is not ("0" or "1"))
                throw new DataFormatException(path, lineNumber, $"expected label 0 or 1, found \"{Preview(fields[0])}\".");
            if (fields[1] is not ("train" or "test"))
                throw new DataFormatException(path, lineNumber, $"expected split train or test, found \"{Preview(fields[1])}\".");
            if (!int.TryParse(fields[2], out int rating) || rating is < 1 or > 10)
                throw new DataFormatException(path, lineNumber, $"expected a rating 1..10, found \"{Preview(fields[2])}\".");
            int label = fields[0][0] - '0';
            if ((label == 1) != (rating >= 7) || rating is 5 or 6)
                throw new DataFormatException(path, lineNumber, $"label {label} does not match rating {rating} (negative ≤ 4, positive ≥ 7).");
            if (string.IsNullOrWhiteSpace(fields[3])) throw new DataFormatException(path, lineNumber, "the review is empty.");
            reviews.Add(new ImdbReview(label, fields[1], rating, fields[3]));
        }
        if (reviews.Count == 0) throw new DataFormatException(path, 0, "no reviews found.");
        return reviews;
    }

    public static List<string> ReadUnlabelled(string path)
    {
        var reviews = new List<string>();
        foreach (var line in ReadLines(path))
            if (!string.IsNullOrWhiteSpace(line)) reviews.Add(line);
        if (reviews.Count == 0) throw new DataFormatException(path, 0, "no reviews found.");
        return reviews;
    }

    /// <summary>
    /// The review as plain text, one paragraph per "&lt;br /&gt;" run: formatting tags (&lt;i&gt;, &lt;p&gt;…)
    /// dropped, character references ("&amp;#8217;") decoded, and a space put back where a sentence
    /// ends without one ("a mess.The end" → "a mess. The end"; the tokenizer would otherwise read
    /// "mess.the" as one word, as it must for "U.S." or "e.g."). Angle brackets that are not tags stay.
    /// </summary>
    public static IEnumerable<string> Paragraphs(string review)
    {
        foreach (var part in LineBreak().Split(review))
        {
            string text = Spaces().Replace(MissingSpace().Replace(WebUtility.HtmlDecode(FormattingTag().Replace(part, " ")), "$1 "), " ").Trim();
            if (text.Length > 0) yield return text;
        }
    }

    /// <summary>
    /// The sentences of a review: its paragraphs split after ".", "!" or "?" (runs included) followed
    /// by a space and a capital, digit, quote or bracket. Abbreviations ("Mr. Smith") split wrongly now
    /// and then: for weak labels that costs nothing worth a sentence model.
    /// </summary>
    public static IEnumerable<string> Sentences(string review)
    {
        foreach (var paragraph in Paragraphs(review))
            foreach (var sentence in SentenceEnd().Split(paragraph))
                if (sentence.Trim() is { Length: > 0 } trimmed) yield return trimmed;
    }

    /// <summary>The review as one line of plain text (paragraphs joined by a space).</summary>
    public static string PlainText(string review) => string.Join(' ', Paragraphs(review));

    private static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file not found (the IMDB reviews live in ../shared/data/imdb/).");
        return File.ReadLines(path);
    }

    private static string Preview(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"(?:<br\s*/?>\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</?(?:i|b|em|strong|p|hr|u)\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex FormattingTag();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{Nd}""'(])")]
    private static partial Regex SentenceEnd();

    // A word of two or more lowercase letters, sentence punctuation, then a capital: "mess.The".
    [GeneratedRegex(@"(?<=\p{Ll}{2})([.!?]+)(?=\p{Lu})")]
    private static partial Regex MissingSpace();
}
