using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public sealed class ImdbReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-imdb-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadLabelled_FourColumns_GivesReviews()
    {
        var reviews = ImdbReader.ReadLabelled(Write("labelled.tsv", "0\ttrain\t3\tA dull film.<br /><br />Skip it.\n1\ttest\t10\tLoved it!\n"));
        Assert.Equal([new ImdbReview(0, "train", 3, "A dull film.<br /><br />Skip it."), new ImdbReview(1, "test", 10, "Loved it!")], reviews);
    }

    [Theory]
    [InlineData("1\ttrain\t9\n", 1, "4 fields")]
    [InlineData("2\ttrain\t9\tx\n", 1, "label 0 or 1")]
    [InlineData("1\tdev\t9\tx\n", 1, "split train or test")]
    [InlineData("1\ttrain\t11\tx\n", 1, "rating 1..10")]
    [InlineData("0\ttrain\t3\tok\n1\ttrain\t3\tx\n", 2, "does not match rating")]
    public void ReadLabelled_BadLine_NamesFileLineAndProblem(string text, int line, string problem)
    {
        string path = Write("bad.tsv", text);
        var error = Assert.Throws<DataFormatException>(() => ImdbReader.ReadLabelled(path));
        Assert.StartsWith($"{path}:{line}:", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void ReadUnlabelled_OneReviewPerLine()
    {
        Assert.Equal(["first review", "second"], ImdbReader.ReadUnlabelled(Write("unlabelled.txt", "first review\n\nsecond\n")));
    }

    [Fact]
    public void Read_MissingFile_SaysWhereTheReviewsLive()
    {
        var error = Assert.Throws<DataFormatException>(() => ImdbReader.ReadLabelled(Path.Combine(_directory, "none.tsv")));
        Assert.Contains("../shared/data/imdb", error.Message);
    }

    [Theory]
    [InlineData("Great!<br /><br />Really <i>great</i>.", new[] { "Great!", "Really great ." })]
    [InlineData("It was a mess.The end &#8230; sadly.<BR>Next", new[] { "It was a mess. The end … sadly.", "Next" })]
    [InlineData("U.S. films and e.g. this <sigh> one", new[] { "U.S. films and e.g. this <sigh> one" })]
    public void Paragraphs_HtmlBreaksTagsAndMissingSpaces_BecomePlainText(string review, string[] expected)
    {
        Assert.Equal(expected, ImdbReader.Paragraphs(review));
    }

    [Fact]
    public void Sentences_SplitAfterSentencePunctuationBeforeACapital()
    {
        Assert.Equal(["I loved it!", "The cast is great.", "\"Wow\" said I... and left.", "10/10"],
            ImdbReader.Sentences("I loved it! The cast is great. \"Wow\" said I... and left.<br /><br />10/10"));
    }
}
