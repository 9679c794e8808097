namespace ServeNet.Training.Data;

/// <summary>
/// Labelled examples from in-domain text besides SST: whole reviews labelled by their star rating
/// (documents, for pre-training) and the sentences of those reviews, each labelled by its review
/// (weak labels: a sentence of a positive review is often neutral or even negative).
/// </summary>
public sealed record InDomainExamples(IReadOnlyList<LabelledSentence> Documents, IReadOnlyList<LabelledSentence> Sentences)
{
    public static InDomainExamples None { get; } = new([], []);

    /// <summary>Plain-text documents and sentences (3 to 50 words) of the labelled reviews.</summary>
    public static InDomainExamples FromReviews(IReadOnlyList<ImdbReview> reviews, bool documents, bool sentences) => new(
        documents ? reviews.Select(r => new LabelledSentence(r.Label, ImdbReader.PlainText(r.Text))).ToList() : [],
        sentences
            ? reviews.SelectMany(r => ImdbReader.Sentences(r.Text).Where(s => WordCount(s) is >= 3 and <= 50).Select(s => new LabelledSentence(r.Label, s))).ToList()
            : []);

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
