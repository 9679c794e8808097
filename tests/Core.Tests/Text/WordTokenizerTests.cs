using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Text;

public class WordTokenizerTests
{
    private static readonly WordTokenizer Sentiment = new(TokenizerSettings.Sentiment);
    private static readonly WordTokenizer Ner = new(TokenizerSettings.Ner);

    private static string Tokens(WordTokenizer tokenizer, string text) => string.Join(" ", tokenizer.Tokenize(text).Select(t => t.Value));

    // Raw sentences as a user would type them → the tokens of the lowercased SST corpus.
    [Theory]
    [InlineData("It's not a bad movie, but the (lame) ending doesn't work.",
        "it 's not a bad movie , but the -lrb- lame -rrb- ending does n't work .")]
    [InlineData("\"Memento\" is the writer/director's best.", "`` memento '' is the writer\\/director 's best .")]
    [InlineData("I can't believe it... wow -- really!", "i ca n't believe it ... wow -- really !")]
    [InlineData("Mr. Smith went to the U.S. in the '70s.", "mr. smith went to the u.s. in the '70s .")]
    [InlineData("We're going to love it; they'll see, won't they?", "we 're going to love it ; they 'll see , wo n't they ?")]
    [InlineData("A well-made, thought-provoking sci-fi film: I'd see it again.",
        "a well-made , thought-provoking sci-fi film : i 'd see it again .")]
    [InlineData("“Frailty” has been written so well… I cannot say.", "`` frailty '' has been written so well … i can not say .")]
    public void Tokenize_RawEnglish_GivesSstTokens(string raw, string expected) => Assert.Equal(expected, Tokens(Sentiment, raw));

    // Raw news text → the tokens of CoNLL-2003 (case and characters kept).
    [Theory]
    [InlineData("Angela Merkel visited Paris on 1996-08-25, and EU officials paid $1,000.",
        "Angela Merkel visited Paris on 1996-08-25 , and EU officials paid $ 1,000 .")]
    [InlineData("Germany's Bundesbank (BUBA) said inflation rose 3.5% at 10:30 a.m.",
        "Germany 's Bundesbank ( BUBA ) said inflation rose 3.5 % at 10:30 a.m.")]
    [InlineData("\"We won 6-4,\" said J. Smith of the U.N. in New York.",
        "\" We won 6-4 , \" said J. Smith of the U.N. in New York .")]
    public void Tokenize_RawNews_GivesConllTokens(string raw, string expected) => Assert.Equal(expected, Tokens(Ner, raw));

    [Theory]
    [InlineData("the movie 's charm is n't lost -lrb- really -rrb- .")]
    [InlineData("`` extreme ops '' exceeds expectations .")]
    public void Tokenize_AlreadyTokenizedCorpusLine_IsUnchanged(string line) => Assert.Equal(line, Tokens(Sentiment, line));

    // SST escapes "/" and "*"; the phrase file and user text do not: both must give the same tokens.
    [Theory]
    [InlineData("the writer\\/director 's best", "the writer/director 's best")]
    [InlineData("2 1\\/2 stars \\/ out of 4", "2 1/2 stars / out of 4")]
    [InlineData("a \\* b and/or c", "a * b and/or c")]
    public void Tokenize_PtbEscapedSlashOrStar_SameAsRawCharacter(string escaped, string raw)
    {
        Assert.Equal(Tokens(Sentiment, raw), Tokens(Sentiment, escaped));
        Assert.Equal(Tokens(Ner, raw), Tokens(Ner, escaped));
    }

    [Fact]
    public void Tokenize_OffsetsPointIntoTheOriginalText()
    {
        const string text = "Don't panic: Ángela (née Müller) met 🙂 O'Brien.";
        foreach (var token in Ner.Tokenize(text))
        {
            string original = text.Substring(token.Start, token.Length);
            Assert.False(string.IsNullOrWhiteSpace(original));
            Assert.Equal(token.Value, Ner.Normalize(text, token.Start, token.Length));
        }
        Assert.Equal("Do n't panic : Ángela ( née Müller ) met 🙂 O'Brien .", Tokens(Ner, text));
    }

    [Theory]
    [InlineData("Cafe\u0301 au lait", "Cafe\u0301 au lait")] // combining accent stays on its letter
    [InlineData("שלום עולם!", "שלום עולם !")] // right-to-left
    [InlineData("a\0b\u200Bc\u200Fd", "a b c d")] // NUL, zero-width space, RTL mark separate words
    [InlineData("great👍🏽!", "great 👍 🏽 !")]
    [InlineData("𝐁erlin and 𠜎字 here", "𝐁erlin and 𠜎字 here")] // a word starting with a letter outside the BMP stays whole
    [InlineData("   ", "")]
    public void Tokenize_UnicodeOfEveryKind_SegmentsCleanly(string text, string expected) => Assert.Equal(expected, Tokens(Ner, text));

    [Fact]
    public void Tokenize_LoneSurrogate_IsItsOwnToken()
    {
        // Not an InlineData: xunit's serialisation would replace the lone surrogate.
        Assert.Equal(["bad", "\uD800", "movie"], Ner.Tokenize("bad\uD800movie").Select(t => t.Value));
    }

    [Fact]
    public void Tokenize_RandomText_GivesOrderedDisjointSpansWithoutSeparators()
    {
        var random = new SeededRandom(17);
        const string alphabet = "ab.,'\"()-/ \t\n\0éû💡\uD800\u0301$%:1";
        for (int trial = 0; trial < 2000; trial++)
        {
            var chars = new char[random.NextInt(40)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.NextInt(alphabet.Length)];
            var text = new string(chars);
            int previousEnd = 0;
            foreach (var token in Ner.Tokenize(text))
            {
                Assert.True(token.Start >= previousEnd && token.Length > 0 && token.End <= text.Length, $"bad span in \"{text}\"");
                for (int i = token.Start; i < token.End; i++) Assert.False(PtbPreTokenizer.IsSeparator(text[i]));
                previousEnd = token.End;
            }
        }
    }

    [Fact]
    public void EncodeToIds_UsesTheVocabularyAndMapsUnknownWords()
    {
        var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment, new Vocabulary(["good", "film", "."]));
        var ids = tokenizer.EncodeToIds("Good FILM, really.");
        Assert.Equal([2, 3, Vocabulary.UnknownId, Vocabulary.UnknownId, 4], ids);
        Assert.Equal("good film <unk> <unk> .", tokenizer.Decode(ids));
        var tokens = tokenizer.EncodeToTokens("Good FILM", out _);
        Assert.Equal(new Range(5, 9), tokens[1].Offset);
    }
}

public class TokenSpansTests
{
    private static readonly string[] Texts =
    [
        "It's not a bad movie, but the (lame) ending doesn't work.",
        "\"Memento\" is the writer/director's best * ever [sic] {really}.",
        "“Frailty” has been written so well… I CANNOT say — ‘quoted’ ÁNGELA.",
        "Angela Merkel visited Paris on 1996-08-25, and EU officials paid $1,000.",
        "great👍🏽! 𐐀𐐁 Cafe\u0301 a\0b\u200Bc",
        "",
        new string('x', 600) + " / " + new string('/', 300),
    ];

    [Fact]
    public void Tokenize_IntoSpans_GivesTheSameTokensAsTheStringPath_ForBothCorpora()
    {
        var spans = new TokenSpans();
        foreach (var settings in new[] { TokenizerSettings.Sentiment, TokenizerSettings.Ner })
        {
            var tokenizer = new WordTokenizer(settings);
            foreach (string text in Texts)
            {
                tokenizer.Tokenize(text, spans); // reused: earlier, longer texts must leave nothing behind
                var expected = tokenizer.Tokenize(text);
                Assert.Equal(expected, spans.ToArray());
                for (int i = 0; i < spans.Count; i++)
                {
                    Assert.Equal(expected[i].Value, spans.Form(i).ToString());
                    Assert.Equal((expected[i].Start, expected[i].Length), spans.Source(i));
                }
            }
        }
    }

    [Fact]
    public void Vocabulary_LooksUpSpans_AsItLooksUpStrings()
    {
        var vocabulary = new Vocabulary(["good", "not good", "-lrb-"]);
        Assert.Equal(vocabulary.IdOf("not good"), vocabulary.IdOf("xnot goodx".AsSpan(1, 8)));
        Assert.True(vocabulary.TryGetId("-lrb-".AsSpan(), out int id));
        Assert.Equal(vocabulary.IdOf("-lrb-"), id);
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("bad".AsSpan()));
    }
}
