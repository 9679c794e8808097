using System.Net;
using System.Security.Cryptography;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Models;

public sealed class ModelsApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Models_Get_DescribesEveryLoadedModel()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var models = body.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["sentiment", "ner"], models.Select(m => m.GetProperty("task").GetString()));

        var sentiment = models[0];
        Assert.Equal("/classify", sentiment.GetProperty("endpoint").GetString());
        Assert.Equal("sentiment.ckpt", sentiment.GetProperty("file").GetString());
        Assert.Equal("serving", sentiment.GetProperty("status").GetString());
        Assert.Equal("tiny-sentiment", sentiment.GetProperty("name").GetString());
        Assert.Equal("dan-text-classifier", sentiment.GetProperty("kind").GetString());
        Assert.StartsWith("tiny-sentiment-", sentiment.GetProperty("version").GetString());
        Assert.Equal(Sha256(factory.SentimentPath), sentiment.GetProperty("sha256").GetString());
        Assert.Equal(TinyModels.SentimentLabels, sentiment.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(17, sentiment.GetProperty("vocabularySize").GetInt32());
        Assert.Equal(0.875, sentiment.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.True(sentiment.GetProperty("loadTimeMs").GetDouble() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sentiment.GetProperty("lastError").ValueKind);

        var ner = models[1];
        Assert.Equal("window-ner-tagger", ner.GetProperty("kind").GetString());
        Assert.Equal(Sha256(factory.NerPath), ner.GetProperty("sha256").GetString());
        Assert.Equal(9, ner.GetProperty("labels").GetArrayLength());
        Assert.Equal(0.5, ner.GetProperty("metrics").GetProperty("f1").GetDouble());
    }

    [Fact]
    public async Task Models_LoadAtStartup_LogsEveryModelVersion()
    {
        await factory.StartAsync();

        foreach (var slot in factory.Registry.All)
            Assert.Contains(factory.Logs.Messages, m => m.Contains(slot.Serving!.Info.Version) && m.Contains("start-up"));
    }

    [Fact]
    public async Task Health_Live_Returns200()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_ReadyWithEveryModelLoaded_Returns200WithVersions()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.All(body.GetProperty("models").EnumerateArray(), m => Assert.True(m.GetProperty("ready").GetBoolean()));
    }

    [Fact]
    public async Task Metrics_AfterPredictions_ExposeRequestsLatencyInferenceTextsAndVersions()
    {
        var client = await factory.StartAsync();
        await client.PostJsonText("/classify", """{"texts": ["good", "bad"]}""");
        await client.PostJsonText("/ner", """{"text": "Angela Merkel"}""");

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        string metrics = await response.Content.ReadAsStringAsync();
        Assert.Contains("http_requests_received_total{", metrics);
        Assert.Contains("http_request_duration_seconds_bucket{", metrics);
        Assert.Contains("endpoint=\"/classify\"", metrics);
        Assert.Contains("servenet_inference_seconds_bucket{model=\"sentiment\"", metrics);
        Assert.Contains("servenet_inference_seconds_count{model=\"ner\"}", metrics);
        Assert.Contains("servenet_texts_per_request_bucket{model=\"sentiment\"", metrics);
        string version = factory.Registry.Sentiment.Current!.Info.Version;
        Assert.Contains($"servenet_model_info{{model=\"sentiment\",name=\"tiny-sentiment\",version=\"{version}\"}} 1", metrics);
    }

    [Fact]
    public async Task Metrics_RefusedRequests_AreCountedUnderTheirEndpointAndStatus()
    {
        var client = await factory.StartAsync();
        await client.PostJsonText("/ner", """{"texts": ["a", 5]}""");
        await client.PostJsonText("/ner", """{"texts": []}""");
        await client.PostAsync("/ner", new StringContent("x", System.Text.Encoding.UTF8, "text/plain"));

        string metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("http_requests_received_total{code=\"400\",method=\"POST\",endpoint=\"/ner\"} 2", metrics);
        // Routing refuses a non-JSON body before it picks an endpoint.
        Assert.Contains("http_requests_received_total{code=\"415\",method=\"POST\",endpoint=\"unmatched\"} 1", metrics);
    }

    [Fact]
    public async Task Metrics_Scrape_HasRuntimeSeriesButNoPrivateSeriesAndNoEmptyLabels()
    {
        var client = await factory.StartAsync();
        await client.GetAsync("/nothing-here");

        string metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("system_runtime_", metrics); // the public runtime meter, through prometheus-net's meter bridge
        Assert.DoesNotContain("private_", metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("=\"\"", metrics);
        Assert.DoesNotContain("controller=", metrics);
        Assert.Contains("http_requests_received_total{code=\"404\",method=\"GET\",endpoint=\"unmatched\"} 1", metrics);
    }

    [Fact]
    public async Task Models_GetByName_DescribesThatModel()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/models/NER");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await response.Json();
        Assert.Equal("ner", model.GetProperty("task").GetString());
        Assert.Equal("ner.ckpt", model.GetProperty("file").GetString());
        Assert.Equal(factory.Registry.Ner.Current!.Info.Version, model.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Models_GetUnknownName_Returns404NamingTheModels()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/models/translation");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No model \"translation\"; the models are sentiment, ner.", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Models_Responses_NeverShowAServerPath()
    {
        var client = await factory.StartAsync();

        string all = await client.GetStringAsync("/models");
        string one = await client.GetStringAsync("/models/sentiment");

        Assert.DoesNotContain(factory.ModelsDirectory, all);
        Assert.DoesNotContain(factory.ModelsDirectory, one);
        Assert.DoesNotContain("\"directory\"", all);
    }

    [Fact]
    public async Task Metrics_InventedMethods_AreCountedAsOther()
    {
        var client = await factory.StartAsync();
        foreach (string method in new[] { "QWERTYUIOPAS", "ZXCVB", "get" })
            await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/x{method}"));

        string metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("method=\"other\"", metrics);
        Assert.DoesNotContain("QWERTYUIOPAS", metrics);
        Assert.DoesNotContain("ZXCVB", metrics);
        Assert.DoesNotContain("method=\"get\"", metrics);
    }

    [Fact]
    public async Task Metrics_AnyMethodButGet_Returns405()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsync("/metrics", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await response.Problem();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_Head_Returns200LikeGet(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        // (Kestrel sends no body for HEAD; the in-memory test server does not strip it.)
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
