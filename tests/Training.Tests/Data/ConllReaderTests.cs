using ServeNet.Core.Ner;
using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public sealed class ConllReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-conll-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private string Write(string text)
    {
        string path = Path.Combine(_directory, "data.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_Iob1File_SkipsDocumentLinesAndConvertsToBio()
    {
        string path = Write("""
            -DOCSTART- -X- -X- O

            EU NNP B-NP I-ORG
            rejects VBZ B-VP O
            German JJ B-NP I-MISC
            call NN I-NP O

            Bonn NNP I-NP I-LOC
            Paris NNP I-NP B-LOC
            Berlin NNP I-NP I-LOC
            Peter NNP I-NP I-PER
            """);
        var sentences = ConllReader.Read(path, BioLabels.Conll);
        Assert.Equal(2, sentences.Count);
        Assert.Equal(["B-ORG", "O", "B-MISC", "O"], sentences[0].Tags);
        // IOB1: "B-LOC" marks a second LOC right after the first; "I-PER" after LOC starts a PER.
        Assert.Equal(["B-LOC", "B-LOC", "I-LOC", "B-PER"], sentences[1].Tags);
        Assert.Equal(["Bonn", "Paris", "Berlin", "Peter"], sentences[1].Words);
    }

    [Fact]
    public void Read_UnknownTag_NamesFileAndLine()
    {
        string path = Write("EU NNP B-NP I-ORG\nrejects VBZ B-VP I-FOO\n");
        var error = Assert.Throws<DataFormatException>(() => ConllReader.Read(path, BioLabels.Conll));
        Assert.Equal(2, error.Line);
        Assert.StartsWith($"{path}:2:", error.Message);
        Assert.Contains("I-FOO", error.Message);
    }

    [Fact]
    public void Read_MissingFile_SaysWhereTheCorpusLives()
    {
        var error = Assert.Throws<DataFormatException>(() => ConllReader.Read(Path.Combine(_directory, "none.txt"), BioLabels.Conll));
        Assert.Contains("../shared/data/conll2003", error.Message);
    }
}
