using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Classification;

public sealed class ClassifyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Classify_SingleText_ReturnsLabelProbabilitiesModelAndVersion()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify", new { text = "a wonderful, moving film" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("tiny-sentiment", body.GetProperty("model").GetString());
        string version = body.GetProperty("version").GetString()!;
        Assert.StartsWith("tiny-sentiment-", version);
        Assert.Equal(version, Assert.Single(response.Headers.GetValues("X-Model-Version")));
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal("positive", result.GetProperty("label").GetString());
        var probabilities = result.GetProperty("probabilities");
        Assert.Equal(TinyModels.SentimentLabels, probabilities.EnumerateObject().Select(p => p.Name));
        float sum = probabilities.EnumerateObject().Sum(p => p.Value.GetSingle());
        Assert.InRange(sum, 0.999f, 1.001f);
        Assert.Equal(probabilities.GetProperty("positive").GetSingle(), result.GetProperty("score").GetSingle());
        Assert.True(probabilities.GetProperty("positive").GetSingle() > 0.5f);
        Assert.False(result.TryGetProperty("explanation", out _), "no explanation unless asked");
    }

    [Fact]
    public async Task Classify_Batch_ReturnsOneResultPerTextInOrder()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify",
            new { texts = new[] { "a dull, tedious mess", "a wonderful, moving film", "a boring film" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var labels = (await response.Json()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("label").GetString());
        Assert.Equal(["negative", "positive", "negative"], labels);
    }

    [Fact]
    public async Task Classify_Explain_ReturnsEveryTokenWithOffsetsAndContribution()
    {
        var client = await factory.StartAsync();
        const string text = "a wonderful, moving film";

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Json()).GetProperty("results")[0];
        var tokens = result.GetProperty("explanation").EnumerateArray().ToArray();
        Assert.Equal(["a", "wonderful", ",", "moving", "film"], tokens.Select(t => t.GetProperty("text").GetString()));
        foreach (var token in tokens)
        {
            int start = token.GetProperty("start").GetInt32(), end = token.GetProperty("end").GetInt32();
            Assert.Equal(token.GetProperty("text").GetString(), text[start..end]);
        }
        Assert.True(tokens[1].GetProperty("contribution").GetSingle() > 0, "'wonderful' pushes towards positive");
        Assert.True(tokens[4].GetProperty("contribution").GetSingle() < 0, "'film' is neutral: without it the positive words weigh more");
    }

    [Fact]
    public async Task Classify_ExplainBatch_ExplainsEveryText()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { texts = new[] { "good", "a dull film" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Json()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([1, 3], results.Select(r => r.GetProperty("explanation").GetArrayLength()));
    }

    [Fact]
    public async Task Classify_ConcurrentRequests_AllAnswerFromOneModel()
    {
        var client = await factory.StartAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            client.PostAsJsonAsync("/classify", new { texts = new[] { $"a good film {i}", "a bad film" } })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var labels = await Task.WhenAll(responses.Select(async r =>
            string.Join(",", (await r.Json()).GetProperty("results").EnumerateArray().Select(x => x.GetProperty("label").GetString()))));
        Assert.All(labels, l => Assert.Equal("positive,negative", l));
    }

    [Theory]
    [InlineData("/classify", """{"text": "a good film"}""", HttpStatusCode.OK)]
    [InlineData("/ner", """{"text": "Angela Merkel"}""", HttpStatusCode.OK)]
    [InlineData("/classify", """{"text": ""}""", HttpStatusCode.BadRequest)]
    public async Task Predict_AnyAnswer_IsNeitherSniffedNorStored(string url, string json, HttpStatusCode status)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, json);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
    }
}
