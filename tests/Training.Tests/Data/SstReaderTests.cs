using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public sealed class SstReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-sst-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private string Write(string text)
    {
        string path = Path.Combine(_directory, "train.tsv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_LabelTabSentence_GivesExamples()
    {
        var examples = SstReader.Read(Write("1\ta gorgeous film .\n0\tit 's dull .\n"));
        Assert.Equal([new LabelledSentence(1, "a gorgeous film ."), new LabelledSentence(0, "it 's dull .")], examples);
    }

    [Theory]
    [InlineData("1 a film without a tab\n", 1, "no TAB")]
    [InlineData("1\tfine .\n2\tbad label .\n", 2, "label 0 or 1")]
    [InlineData("0\tfine .\n1\t   \n", 2, "empty")]
    public void Read_BadLine_NamesFileLineAndProblem(string text, int line, string problem)
    {
        string path = Write(text);
        var error = Assert.Throws<DataFormatException>(() => SstReader.Read(path));
        Assert.StartsWith($"{path}:{line}:", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
