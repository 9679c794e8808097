using ServeNet.Core.Sentiment;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Sentiment;

/// <summary>The serving path reads tokens as spans of one buffer; it must give the ids the corpus path gives from strings.</summary>
public sealed class EncodeIdsTests
{
    private static readonly Vocabulary Vocabulary = new(
    [
        "good", "bad", "film", "not", "n't", "a", "very", ",", ".", "dull", "fun", "but", "wonderful", "acting", "didnt", "enjoy", "it",
        "not_good", "not_fun", "not_enjoy", "very good", "not good", "a film", "good film", "dull film", "-lrb-", "-rrb-", "``", "''",
    ]);

    private static readonly string[] Texts =
    [
        "Not a good film, but fun.",
        "I didnt enjoy it... (very) dull FILM; wonderfull actng!",
        "It isn't \"good\" -- it's not bad, but not fun either, however wonderful the acting.",
        "",
        string.Join(" ", Enumerable.Repeat("not good but dull film .", 200)), // past the stack buffers
    ];

    public static TheoryData<BagFeatures> Bags() =>
    [
        new BagFeatures(),
        new BagFeatures(Ngrams: 2),
        new BagFeatures(Ngrams: 2, NegationScope: true),
        new BagFeatures(Ngrams: 2, ScopeOperators: 1, TypoFallback: true),
        new BagFeatures(Ngrams: 1, ScopeOperators: 2, TypoFallback: true),
    ];

    [Theory]
    [MemberData(nameof(Bags))]
    public void EncodeIds_FromSpans_EqualsEncodeIds_FromStrings(BagFeatures bag)
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment, Vocabulary);
        var typos = bag.TypoFallback ? new TypoIndex(Vocabulary) : null;
        var spans = new TokenSpans();
        foreach (string text in Texts)
        {
            tokenizer.Tokenize(text, spans);
            var strings = tokenizer.Tokenize(text).Select(t => t.Value).ToArray();
            List<int> fromSpans = [], fromStrings = [], firstFromSpans = [], firstFromStrings = [];
            TextClassifier.EncodeIds(Vocabulary, spans, bag, fromSpans, firstFromSpans, typos);
            TextClassifier.EncodeIds(Vocabulary, strings, bag, fromStrings, firstFromStrings, typos);
            Assert.Equal(fromStrings, fromSpans);
            Assert.Equal(firstFromStrings, firstFromSpans);
        }
    }

    [Fact]
    public void TypoIndex_CorrectsASpan_AsItCorrectsAString()
    {
        var typos = new TypoIndex(Vocabulary);
        Assert.True(typos.TryCorrect("xwonderfullx".AsSpan(1, 10), out int fromSpan));
        Assert.True(typos.TryCorrect("wonderfull", out int fromString));
        Assert.Equal(Vocabulary.IdOf("wonderful"), fromSpan);
        Assert.Equal(fromString, fromSpan);
    }

    [Fact]
    public void TextTokens_GivesTheTokensTheTokenizerGives()
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment, Vocabulary);
        var spans = new TokenSpans();
        foreach (string text in Texts)
        {
            tokenizer.Tokenize(text, spans);
            Assert.Equal(tokenizer.Tokenize(text), new TextTokens(tokenizer, text, spans.Sources()));
        }
    }
}
