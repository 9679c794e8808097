using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Text;

public class TypoIndexTests
{
    // Most frequent first, as a trained vocabulary is.
    private static readonly Vocabulary Words = new(["the", "was", "film", "good", "gold", "acting", "loved", "awful", "movies", "tedious",
        "waste", "wonderful", "brilliant", "dialogue", "predictable"]);

    private static readonly TypoIndex Index = new(Words);

    [Theory]
    [InlineData("wonderfull", "wonderful")] // a letter too many
    [InlineData("actng", "acting")] // a letter missing
    [InlineData("brillant", "brilliant")]
    [InlineData("awfal", "awful")] // a letter replaced
    [InlineData("moveis", "movies")] // two letters swapped
    [InlineData("dialouge", "dialogue")]
    [InlineData("predicatble", "predictable")]
    [InlineData("goid", "good")] // good and gold are both one edit away: the more frequent wins
    [InlineData("wast", "was")]
    public void TryCorrect_OneEditAway_GivesTheMostFrequentWord(string typo, string expected)
    {
        Assert.True(Index.TryCorrect(typo, out int id));
        Assert.Equal(expected, Words.WordOf(id));
    }

    [Theory]
    [InlineData("delite")] // two edits from "delight" (not in the vocabulary anyway)
    [InlineData("xyzzy")]
    [InlineData("teh")] // too short to correct
    [InlineData("f1lm")] // not all letters
    [InlineData("wonderfullll")]
    public void TryCorrect_NothingWithinOneEdit_ReturnsFalse(string word) => Assert.False(Index.TryCorrect(word, out _));

    [Theory]
    [InlineData("abcd", "abcd", true)]
    [InlineData("abcd", "abd", true)]
    [InlineData("abd", "abcd", true)]
    [InlineData("abcd", "abxd", true)]
    [InlineData("abcd", "abdc", true)]
    [InlineData("abcd", "badc", false)]
    [InlineData("abcd", "ab", false)]
    [InlineData("abcd", "axcy", false)]
    public void WithinOneEdit_IsOptimalStringAlignmentDistanceAtMostOne(string a, string b, bool expected) =>
        Assert.Equal(expected, TypoIndex.WithinOneEdit(a, b));
}
