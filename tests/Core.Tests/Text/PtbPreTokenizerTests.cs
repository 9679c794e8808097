using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Text;

public sealed class PtbPreTokenizerTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "   ",
        "It's not a bad movie, but the (lame) ending doesn't work.",
        "Mr. Smith went to the U.S. in the '70s; we're sure they'll see -- cannot wait...",
        "Angela Merkel visited Paris on 1996-08-25, and EU officials paid $1,000 at 10:30 a.m.",
        "emoji 😀 and combining e\u0301 and \u200b zero-width\0NUL -lrb- x -rrb-",
        new string(',', 1000),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Count_AnyText_EqualsTheNumberOfSplitTokens(string text) =>
        Assert.Equal(PtbPreTokenizer.Split(text).Count, PtbPreTokenizer.Count(text));

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(999)]
    public void Count_MoreTokensThanTheLimit_StopsJustAboveIt(int limit)
    {
        string commas = new(',', 1000);

        Assert.Equal(limit + 1, PtbPreTokenizer.Count(commas, stopAbove: limit));
        Assert.Equal(1000, PtbPreTokenizer.Count(commas, stopAbove: 1000));
    }

    [Fact]
    public void Count_ContractionSplitAcrossTheLimit_CountsBothHalvesOrStops()
    {
        // "doesn't" is two tokens: a limit of 1 stops inside it.
        Assert.Equal(2, PtbPreTokenizer.Count("doesn't", stopAbove: 1));
        Assert.Equal(2, PtbPreTokenizer.Count("doesn't", stopAbove: 2));
    }

    [Fact]
    public void IsSeparator_AsciiShortcut_AgreesWithTheUnicodeDefinitionOnEveryCharacter()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            char ch = (char)c;
            bool definition = char.IsWhiteSpace(ch) || char.IsControl(ch) || char.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.Format;
            Assert.True(definition == PtbPreTokenizer.IsSeparator(ch), $"U+{c:X4}");
        }
    }

    [Fact]
    public void IsWordChar_AsciiShortcut_AgreesWithTheUnicodeDefinitionOnEveryCharacter()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            char ch = (char)c;
            bool definition = char.IsLetterOrDigit(ch) || char.GetUnicodeCategory(ch) is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark;
            Assert.True(definition == PtbPreTokenizer.IsWordChar(ch), $"U+{c:X4}");
        }
    }
}
