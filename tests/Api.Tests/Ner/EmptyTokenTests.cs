using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Ner;

/// <summary>Texts that are not blank but hold no token (control and format characters only).</summary>
public sealed class EmptyTokenTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0001\u0002\u001F")]
    [InlineData("\u200B\u200D\uFEFF")]
    public async Task Ner_TextWithoutTokens_AnswersNoTokensAndNoEntities(string text)
    {
        var client = await factory.StartAsync();

        var single = await client.PostAsJsonAsync("/ner", new { text });
        var batch = await client.PostAsJsonAsync("/ner", new { texts = new[] { text, text } });

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        var result = (await single.Json()).GetProperty("results")[0];
        Assert.Equal(0, result.GetProperty("tokens").GetArrayLength());
        Assert.Equal(0, result.GetProperty("entities").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u200B\u200D\uFEFF")]
    public async Task Classify_TextWithoutTokens_AnswersAValidDistribution(string text)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify?explain=true", new { text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Json()).GetProperty("results")[0];
        Assert.InRange(result.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetSingle()), 0.999f, 1.001f);
        Assert.Equal(0, result.GetProperty("explanation").GetArrayLength());
    }
}
