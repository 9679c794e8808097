using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServeNet.Api.Tests.Fixtures;
using ServeNet.Core.Ner;

namespace ServeNet.Api.Tests.Ner;

public sealed class NerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ner_SingleText_ReturnsTaggedTokensAndEntitiesWithOffsets()
    {
        var client = await factory.StartAsync();
        const string text = "Angela Merkel visited Paris";

        var response = await client.PostAsJsonAsync("/ner", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("tiny-ner", body.GetProperty("model").GetString());
        Assert.Equal(body.GetProperty("version").GetString(), Assert.Single(response.Headers.GetValues("X-Model-Version")));
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        var tokens = result.GetProperty("tokens").EnumerateArray().ToArray();
        Assert.Equal(["Angela", "Merkel", "visited", "Paris"], tokens.Select(t => t.GetProperty("text").GetString()));
        Assert.Equal(["B-PER", "I-PER", "O", "B-PER"], tokens.Select(t => t.GetProperty("tag").GetString()));
        Assert.All(tokens, t => Assert.InRange(t.GetProperty("probability").GetSingle(), 0f, 1f));
        var entities = result.GetProperty("entities").EnumerateArray().ToArray();
        Assert.Equal(2, entities.Length);
        Assert.Equal(("Angela Merkel", "PER", 0, 13), Entity(entities[0]));
        Assert.Equal(("Paris", "PER", 22, 27), Entity(entities[1]));
        AssertOffsets(text, result);
    }

    [Fact]
    public async Task Ner_Batch_ReturnsOneResultPerTextInOrder()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/ner", new { texts = new[] { "NASA launched it", "nothing here", "Ask Bob Smith" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Json()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(3, results.Length);
        Assert.Equal(("NASA", "ORG", 0, 4), Entity(Assert.Single(results[0].GetProperty("entities").EnumerateArray())));
        Assert.Empty(results[1].GetProperty("entities").EnumerateArray());
        // "Ask" opens the sentence Capitalised too: the run "Ask Bob Smith" is one entity.
        Assert.Equal(("Ask Bob Smith", "PER", 0, 13), Entity(Assert.Single(results[2].GetProperty("entities").EnumerateArray())));
    }

    public static TheoryData<string> UnicodeTexts => new()
    {
        "Ünïcödé Ñame visited Zürich",                         // precomposed accents
        "Zoe\u0301 Dupont met Jose\u0301 here",                 // combining acute accents
        "😀 Angela 👩‍👩‍👧 Merkel 🇩🇪 visited Paris 🎉",                // surrogate pairs, ZWJ sequences, flags
        "שלום Angela מרקל visited القاهرة today",              // right-to-left scripts mixed with left-to-right
        "Angela\u0000Merkel\u0001visited\u001FParis\u007F",   // NUL and other control characters
        "Angela\u200BMerkel\u200Dvisited\uFEFFParis",         // zero-width and BOM format characters
        "東京 visited by Angela Merkel in 2024年",                 // CJK
        "\u0000\u0001\u0002 \u200B",                          // nothing but separators: no tokens
        "Ａｎｇｅｌａ Ｍｅｒｋｅｌ",                               // full-width letters
    };

    [Theory]
    [MemberData(nameof(UnicodeTexts))]
    public async Task Ner_UnicodeText_AnswersWithOffsetsIntoTheSubmittedString(string text)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/ner", new { texts = new[] { text, "Angela Merkel" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Json()).GetProperty("results");
        AssertOffsets(text, results[0]);
        AssertOffsets("Angela Merkel", results[1]);
        Assert.Equal("Angela Merkel", Assert.Single(results[1].GetProperty("entities").EnumerateArray()).GetProperty("text").GetString());
    }

    [Theory]
    [MemberData(nameof(UnicodeTexts))]
    public async Task Classify_UnicodeText_AnswersWithOffsetsIntoTheSubmittedString(string text)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var token in (await response.Json()).GetProperty("results")[0].GetProperty("explanation").EnumerateArray())
        {
            int start = token.GetProperty("start").GetInt32(), end = token.GetProperty("end").GetInt32();
            Assert.Equal(token.GetProperty("text").GetString(), text[start..end]);
        }
    }

    [Fact]
    public async Task Ner_EntityOffsets_AreUtf16CodeUnitsAfterSurrogatePairs()
    {
        var client = await factory.StartAsync();
        const string text = "😀😀 Angela Merkel";  // each emoji is two UTF-16 code units

        var response = await client.PostAsJsonAsync("/ner", new { text });

        var entity = Assert.Single((await response.Json()).GetProperty("results")[0].GetProperty("entities").EnumerateArray());
        Assert.Equal(("Angela Merkel", "PER", 5, 18), Entity(entity));
    }

    [Theory]
    [InlineData("/ner")]
    [InlineData("/classify")]
    public async Task Predict_LoneSurrogate_Returns400NamingTheField(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, """{"texts": ["fine", "broken \ud800 text"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = Assert.Single((await response.Problem()).ErrorsFor("texts[1]"));
        Assert.Contains("surrogate", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/ner")]
    [InlineData("/classify")]
    public async Task Predict_InvalidUtf8_Returns400(string url)
    {
        var client = await factory.StartAsync();
        var content = new ByteArrayContent([.. "{\"text\": \"abc "u8, 0xFF, 0xFE, .. "\"}"u8]);
        content.Headers.ContentType = Http.JsonMediaType;

        var response = await client.PostAsync(url, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.Problem()).GetProperty("errors").EnumerateObject());
    }

    private static (string?, string?, int, int) Entity(JsonElement e) =>
        (e.GetProperty("text").GetString(), e.GetProperty("type").GetString(), e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32());

    /// <summary>Every token and entity is text.Substring(start, end - start); tags form a valid BIO sequence.</summary>
    private static void AssertOffsets(string text, JsonElement result)
    {
        string? previous = null;
        foreach (var token in result.GetProperty("tokens").EnumerateArray())
        {
            int start = token.GetProperty("start").GetInt32(), end = token.GetProperty("end").GetInt32();
            Assert.Equal(token.GetProperty("text").GetString(), text.Substring(start, end - start));
            string tag = token.GetProperty("tag").GetString()!;
            Assert.True(BioLabels.Conll.Allowed(previous is null ? -1 : BioLabels.Conll.Index[previous], BioLabels.Conll.Index[tag]),
                $"{tag} may not follow {previous ?? "the start"}");
            previous = tag;
        }
        foreach (var entity in result.GetProperty("entities").EnumerateArray())
        {
            int start = entity.GetProperty("start").GetInt32(), end = entity.GetProperty("end").GetInt32();
            Assert.Equal(entity.GetProperty("text").GetString(), text.Substring(start, end - start));
        }
    }
}
