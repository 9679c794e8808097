using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ServeNet.Api.Security;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Security;

/// <summary>API keys for the prediction endpoints: several accepted, the rest of the API open, the admin key separate.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string First = "first-key-0123456789abcdef";
    private const string Second = "second-key-0123456789abcdef";
    private const string Admin = "admin-key-0123456789abcdef";

    private readonly ApiFactory _factory = new()
    {
        Settings =
        {
            ["ServeNet:Security:ApiKeys:0"] = First,
            ["ServeNet:Security:ApiKeys:1"] = Second,
            ["ServeNet:Models:AdminKey"] = Admin,
        },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public static TheoryData<string, string> Predictions => new()
    {
        { "/classify", """{"text": "good"}""" },
        { "/ner", """{"text": "Angela Merkel"}""" },
        { "/v2/models/sentiment/infer", """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["good"]}]}""" },
    };

    [Theory]
    [MemberData(nameof(Predictions))]
    public async Task Prediction_WithoutAKey_Returns401BeforeReadingTheBody(string url, string body)
    {
        var client = await _factory.StartAsync();

        var missing = await client.PostJsonText(url, body);
        var wrong = await Send(client, url, body, request => request.Headers.Add("X-Api-Key", "not-a-key-0123456789abcdef"));
        var unreadable = await client.PostJsonText(url, "{not json");

        foreach (var response in new[] { missing, wrong, unreadable })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("X-Api-Key", string.Join(",", response.Headers.WwwAuthenticate));
        }
        if (url.StartsWith("/v2", StringComparison.Ordinal))
            Assert.StartsWith("Give a valid API key", ProtocolShapes.Error(await missing.Json()));
        else
            Assert.Equal("API key required", (await missing.Problem()).GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(Predictions))]
    public async Task Prediction_WithAnyConfiguredKeyInEitherHeader_Answers(string url, string body)
    {
        var client = await _factory.StartAsync();

        var first = await Send(client, url, body, request => request.Headers.Add("X-Api-Key", First));
        var second = await Send(client, url, body, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Second));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData("/models")]
    [InlineData("/models/ner")]
    [InlineData("/health/ready")]
    [InlineData("/v2/health/ready")]
    [InlineData("/v2/models/ner")]
    [InlineData("/metrics")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task MetadataHealthAndMetrics_WithoutAKey_Answer(string url)
    {
        var client = await _factory.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Keys_AreSeparate_AnApiKeyCannotReloadAndTheAdminKeyCannotPredict()
    {
        var client = await _factory.StartAsync();

        var reload = await Send(client, "/models/reload", "", request => request.Headers.Add("X-Admin-Key", First));
        var predict = await Send(client, "/classify", """{"text": "good"}""", request => request.Headers.Add("X-Api-Key", Admin));
        var admin = await Send(client, "/models/reload?task=ner", "", request => request.Headers.Add("X-Admin-Key", Admin));

        Assert.Equal(HttpStatusCode.Unauthorized, reload.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, predict.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public void ApiKeys_Accepts_OnlyAConfiguredKeyWhateverItsLength()
    {
        byte[][] hashes = [.. new[] { First, Second }.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];

        Assert.True(ApiKeys.Accepts(hashes, First));
        Assert.True(ApiKeys.Accepts(hashes, Second));
        Assert.False(ApiKeys.Accepts(hashes, First[..^1]));
        Assert.False(ApiKeys.Accepts(hashes, First + "x"));
        Assert.False(ApiKeys.Accepts(hashes, ""));
        Assert.False(ApiKeys.Accepts(hashes, null));
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string url, string body, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        configure(request);
        return client.SendAsync(request);
    }
}
