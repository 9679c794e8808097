using System.Net;
using System.Net.Http.Json;
using System.Text;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Errors;

/// <summary>Texts, batches and bodies over the default limits: 413 problem details, never a crash.</summary>
public sealed class LimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_TextAtTheLimits_IsAnswered(string url)
    {
        var client = await factory.StartAsync();
        // 100,000 characters and 5,000 tokens: long words.
        string text = string.Join(" ", Enumerable.Repeat(new string('g', 19), 5_000)) + "g";

        var response = await client.PostAsJsonAsync(url, new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_TextOverTheLimit_Returns413NamingTheField(string url)
    {
        var client = await factory.StartAsync();

        var single = await client.PostAsJsonAsync(url, new { text = new string('a', 100_001) });
        var batch = await client.PostAsJsonAsync(url, new { texts = new[] { "fine", new string('a', 100_001) } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, single.StatusCode);
        Assert.Contains("100,000", Assert.Single((await single.Problem()).ErrorsFor("text")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, batch.StatusCode);
        Assert.NotEmpty((await batch.Problem()).ErrorsFor("texts[1]"));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_BatchOverTheLimit_Returns413NamingTexts(string url)
    {
        var client = await factory.StartAsync();

        var atLimit = await client.PostAsJsonAsync(url, new { texts = Enumerable.Repeat("good", 256) });
        var overLimit = await client.PostAsJsonAsync(url, new { texts = Enumerable.Repeat("good", 257) });

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(256, (await atLimit.Json()).GetProperty("results").GetArrayLength());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
        Assert.Contains("256", Assert.Single((await overLimit.Problem()).ErrorsFor("texts")));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_BodyOverTheLimit_Returns413(string url)
    {
        var client = await factory.StartAsync();
        string json = $$"""{"texts": [{{string.Join(",", Enumerable.Repeat($"\"{new string('a', 5000)}\"", 220))}}]}"""; // ~1.1 MB

        var response = await client.PostJsonText(url, json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotEmpty((await response.Problem()).ErrorsFor("body"));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_ChunkedBodyOverTheLimit_Returns413(string url)
    {
        var client = await factory.StartAsync();
        byte[] json = Encoding.UTF8.GetBytes($$"""{"text": "{{new string('a', 1_100_000)}}"}""");
        var content = new ChunkedContent(json); // no Content-Length: read until the limit trips

        var response = await client.PostAsync(url, content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotEmpty((await response.Problem()).ErrorsFor("body"));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_BodyOverTheLimit_SameProblemWithOrWithoutContentLength(string url)
    {
        var client = await factory.StartAsync();
        byte[] json = Encoding.UTF8.GetBytes($$"""{"text": "{{new string('a', 1_100_000)}}"}""");

        var sized = await client.PostAsync(url, new ByteArrayContent(json) { Headers = { ContentType = Http.JsonMediaType } });
        var chunked = await client.PostAsync(url, new ChunkedContent(json));

        var (withLength, withoutLength) = (await sized.Problem(), await chunked.Problem());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal("The request body is larger than the limit of 1,048,576 bytes.", withLength.GetProperty("detail").GetString());
        foreach (string property in new[] { "title", "detail", "errors" })
            Assert.Equal(withLength.GetProperty(property).ToString(), withoutLength.GetProperty(property).ToString());
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_TextOverTheTokenLimit_Returns413NamingTheSetting(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync(url, new { text = new string(',', 5_001) }); // 5,001 characters, 5,001 tokens

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Problem();
        Assert.Equal("Too many tokens", problem.GetProperty("title").GetString());
        Assert.Contains("ServeNet:Limits:MaxTokensPerText", Assert.Single(problem.ErrorsFor("text")));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_RequestOverTheTokenLimit_Returns413NamingTheSetting(string url)
    {
        var client = await factory.StartAsync();
        var texts = Enumerable.Repeat(string.Join(" ", Enumerable.Repeat("good", 4_000)), 6); // 24,000 tokens

        var response = await client.PostAsJsonAsync(url, new { texts });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ServeNet:Limits:MaxTokensPerRequest", Assert.Single((await response.Problem()).ErrorsFor("texts")));
    }

    [Fact]
    public async Task Classify_ExplainOfTenTextsOfCommas_Returns413AtOnce()
    {
        var client = await factory.StartAsync();
        string commas = new(',', 100_000); // once 14 s of CPU: explain was O(n²)

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { texts = Enumerable.Repeat(commas, 10) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ServeNet:Limits:MaxExplainTokensPerRequest", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Classify_ExplainAtItsTokenLimit_IsAnswered()
    {
        var client = await factory.StartAsync();
        string text = string.Join(" ", Enumerable.Repeat("a good film", 666)) + " ok fine"; // 2,000 tokens

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2_000, (await response.Json()).GetProperty("results")[0].GetProperty("explanation").GetArrayLength());
    }
}
