using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServeNet.Api.Predictions;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Predictions;

/// <summary>
/// ?offsets=utf16|codepoints|utf8: each client slices the text in its own unit and gets the token back, including
/// after characters outside the Basic Multilingual Plane.
/// </summary>
public sealed class OffsetTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    // The example: "Zürich" after 🤗. Plus a flag, a ZWJ family, combining marks, CJK and 4-byte CJK.
    public static TheoryData<string> Texts => new()
    {
        "🤗 Angela Merkel visited Zürich",
        "🇩🇪👩‍👩‍👧 Angela Merkel met NASA in 𝐁erlin",
        "Zoe\u0301 Dupont 東京 𠜎 Bob Smith",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Ner_EveryOffsetUnit_SlicesTheTextBackInThatUnit(string text)
    {
        var client = await factory.StartAsync();

        var utf16 = await Entities(client, "/ner", text);
        var codepoints = await Entities(client, "/ner?offsets=codepoints", text);
        var utf8 = await Entities(client, "/ner?offsets=UTF8", text);

        Assert.NotEmpty(utf16.Tokens);
        int[] runes = [.. text.EnumerateRunes().Select(r => r.Value)];
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        foreach (var (spans, slice) in new (List<(string Text, int Start, int End)>, Func<int, int, string>)[]
        {
            (utf16.All, (s, e) => text[s..e]),                                                        // C#, JavaScript
            (codepoints.All, (s, e) => string.Concat(runes[s..e].Select(char.ConvertFromUtf32))),     // Python text[s:e]
            (utf8.All, (s, e) => Encoding.UTF8.GetString(bytes[s..e])),                                // Rust &text[s..e], Go
        })
        {
            Assert.Equal(utf16.All.Count, spans.Count);
            foreach (var span in spans) Assert.Equal(span.Text, slice(span.Start, span.End));
        }
    }

    [Fact]
    public async Task Ner_EmojiBeforeAnEntity_CountsItOnceInCodePointsTwiceInUtf16FourTimesInUtf8()
    {
        var client = await factory.StartAsync();
        const string text = "🤗 Angela Merkel";

        var starts = new List<int>();
        foreach (string unit in new[] { "utf16", "codepoints", "utf8" })
            starts.Add((await Entities(client, $"/ner?offsets={unit}", text)).Entities.Single().Start);

        Assert.Equal([3, 2, 5], starts);
    }

    [Fact]
    public async Task Classify_ExplainWithCodePoints_SlicesThePythonWay()
    {
        var client = await factory.StartAsync();
        const string text = "🤗🤗 a good film";

        var response = await client.PostAsJsonAsync("/classify?explain=1&offsets=codepoints", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        int[] runes = [.. text.EnumerateRunes().Select(r => r.Value)];
        var tokens = (await response.Json()).GetProperty("results")[0].GetProperty("explanation").EnumerateArray().ToArray();
        Assert.Contains(tokens, t => t.GetProperty("text").GetString() == "good" && t.GetProperty("start").GetInt32() == 5);
        foreach (var t in tokens)
            Assert.Equal(t.GetProperty("text").GetString(),
                string.Concat(runes[t.GetProperty("start").GetInt32()..t.GetProperty("end").GetInt32()].Select(char.ConvertFromUtf32)));
    }

    [Theory]
    [InlineData("/ner?offsets=bytes")]
    [InlineData("/classify?explain=true&offsets=chars")]
    public async Task Predict_UnknownOffsetUnit_Returns400NamingOffsets(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, """{"text": "Angela"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Expected utf16, codepoints or utf8", Assert.Single((await response.Problem()).ErrorsFor("offsets")));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Offsets_Table_MatchesTheReferenceAtEveryCharacterBoundary(string text)
    {
        foreach (var unit in new[] { OffsetUnit.Utf16, OffsetUnit.CodePoints, OffsetUnit.Utf8 })
        {
            var offsets = new ServeNet.Api.Predictions.Offsets(text, unit);
            for (int i = 0; i <= text.Length; i++)
                if (i == text.Length || !char.IsLowSurrogate(text[i]))
                    Assert.Equal(ServeNet.Api.Predictions.Offsets.Reference(text, i, unit), offsets[i]);
        }
    }

    private sealed record Spans(List<(string Text, int Start, int End)> Tokens, List<(string Text, int Start, int End)> Entities)
    {
        public List<(string Text, int Start, int End)> All => [.. Tokens, .. Entities];
    }

    private static async Task<Spans> Entities(HttpClient client, string url, string text)
    {
        var response = await client.PostAsJsonAsync(url, new { text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Json()).GetProperty("results")[0];
        static List<(string, int, int)> Read(JsonElement items) =>
            [.. items.EnumerateArray().Select(i => (i.GetProperty("text").GetString()!, i.GetProperty("start").GetInt32(), i.GetProperty("end").GetInt32()))];
        return new Spans(Read(result.GetProperty("tokens")), Read(result.GetProperty("entities")));
    }
}
