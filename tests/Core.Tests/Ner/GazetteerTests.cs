using ServeNet.Core.Ner;

namespace ServeNet.Core.Tests.Ner;

public sealed class GazetteerTests
{
    private static readonly Gazetteer Lists = new(new Dictionary<string, string[]>
    {
        ["place"] = ["Split", "York", "New York", "New York City", "Rio de Janeiro"],
        ["given-name"] = ["Paris", "York"],
        ["country"] = ["US", "United States"],
    });

    // Bits in ordinal category order: country 1, given-name 2, place 4; ids are 1 + mask.
    private static int[] Match(params string[] tokens)
    {
        var ids = new int[tokens.Length];
        Lists.Match(tokens, ids);
        return ids;
    }

    [Fact]
    public void Categories_AreInOrdinalOrder_AndTheTableHasARowPerMask()
    {
        Assert.Equal(["country", "given-name", "place"], Lists.Categories);
        Assert.Equal(1 + 8, Lists.Rows);
    }

    [Fact]
    public void Match_MarksEveryTokenOfAMultiWordName()
    {
        Assert.Equal([1 + 4, 1 + 4, 1 + 4, 1], Match("Rio", "de", "Janeiro", "today"));
        Assert.Equal([1, 1 + 1, 1 + 1, 1], Match("the", "United", "States", "said"));
    }

    [Fact]
    public void Match_AddsTheCategoriesOfOverlappingNames()
    {
        // "York" alone is a place and a given name; "New York" and "New York City" are places.
        Assert.Equal([1 + 4, 1 + 4 + 2, 1 + 4], Match("New", "York", "City"));
        Assert.Equal([1 + 4 + 2], Match("York"));
    }

    [Fact]
    public void Match_IgnoresCaseOfTheListButNeedsACapitalisedFirstToken()
    {
        Assert.Equal([1 + 4, 1], Match("SPLIT", "again"));
        Assert.Equal([1, 1], Match("split", "again"));
        Assert.Equal([1 + 1], Match("us".ToUpperInvariant()));
        Assert.Equal([1], Match("us"));
    }

    [Fact]
    public void Match_OfAPrefixOnly_MarksNothing()
    {
        Assert.Equal([1, 1], Match("Rio", "Grande"));
        Assert.Equal([1], Match("United"));
    }

    [Fact]
    public void Constructor_RefusesMoreCategoriesThanTheTableAllows()
    {
        var lists = Enumerable.Range(0, Gazetteer.MaxCategories + 1).ToDictionary(i => $"c{i}", _ => new[] { "X" });
        Assert.Throws<ArgumentException>(() => new Gazetteer(lists));
    }
}
