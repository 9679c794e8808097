using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServeNet.Api.Overload;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Overload;

/// <summary>
/// Issue 12's limits hold whichever dialect a prediction speaks: ServeNet's own fields, Hugging Face's "inputs", or the
/// Open Inference Protocol's tensor. The same token limits (413), the same admission gate (429), the same time limit
/// (504); under /v2 each refusal is the protocol's {"error": ...}, elsewhere problem details.
/// </summary>
public sealed class EveryDialectTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Dialect, URL, and the name the answers give the texts (the request as a whole is named without "[i]").</summary>
    public static TheoryData<string, string, string> Dialects() => new()
    {
        { "own", "/classify", "texts" },
        { "huggingface", "/ner", "inputs" },
        { "v2", "/v2/models/sentiment/infer", "inputs[0].data" },
        { "v2", "/v2/models/ner/infer", "inputs[0].data" },
    };

    public static TheoryData<string, string> Routes() => new()
    {
        { "own", "/classify" },
        { "huggingface", "/ner" },
        { "v2", "/v2/models/sentiment/infer" },
        { "v2", "/v2/models/ner/infer" },
    };

    private static string Body(string dialect, IReadOnlyList<string> texts) => dialect switch
    {
        "own" => JsonSerializer.Serialize(new { texts }),
        "huggingface" => JsonSerializer.Serialize(new { inputs = texts }),
        _ => JsonSerializer.Serialize(new { inputs = new[] { new { name = "text", shape = new[] { texts.Count }, datatype = "BYTES", data = texts } } }),
    };

    /// <summary>The refusal's message for <paramref name="field"/>: the {"error"} under /v2, the problem's errors elsewhere.</summary>
    private static async Task<string> Refusal(HttpResponseMessage response, string url, string field)
    {
        if (url.StartsWith("/v2/", StringComparison.Ordinal))
        {
            string error = ProtocolShapes.Error(await response.Json());
            Assert.StartsWith($"{field}: ", error);
            return error;
        }
        return Assert.Single((await response.Problem()).ErrorsFor(field));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Predict_TextOverTheTokenLimitInAnyDialect_Returns413NamingTheTextAndTheSetting(string dialect, string url, string texts)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, Body(dialect, ["fine", new string(',', 5_001)])); // 5,001 characters, 5,001 tokens

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ServeNet:Limits:MaxTokensPerText", await Refusal(response, url, $"{texts}[1]"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Predict_RequestOverTheTokenLimitInAnyDialect_Returns413NamingTheSetting(string dialect, string url, string texts)
    {
        var client = await factory.StartAsync();
        string[] batch = [.. Enumerable.Repeat(string.Join(" ", Enumerable.Repeat("good", 4_000)), 6)]; // 24,000 tokens

        var response = await client.PostJsonText(url, Body(dialect, batch));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ServeNet:Limits:MaxTokensPerRequest", await Refusal(response, url, texts));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Predict_EveryPermitTakenAndNoQueue_Returns429WithRetryAfterInAnyDialect(string dialect, string url)
    {
        await using var server = new ApiFactory { Settings = { ["ServeNet:Overload:MaxTokensQueued"] = "0", ["ServeNet:Overload:RetryAfterSeconds"] = "7" } };
        var client = await server.StartAsync();
        string body = Body(dialect, ["Angela Merkel visited Paris"]);
        var gate = server.Services.GetRequiredService<PredictionGate>();

        HttpResponseMessage refused;
        using (var all = await gate.AdmitAsync(new DefaultHttpContext(), 20_000, CancellationToken.None)) // MaxTokensInFlight's default
        {
            Assert.Null(all.Refusal);
            refused = await client.PostJsonText(url, body);
        }
        var admitted = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
        string message = url.StartsWith("/v2/", StringComparison.Ordinal)
            ? ProtocolShapes.Error(await refused.Json())
            : (await refused.Problem()).GetProperty("detail").GetString()!;
        Assert.Contains("ServeNet:Overload:MaxTokensQueued", message);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Predict_WaitingForPermitsPastTheTimeLimit_Returns504AndLeavesTheQueue(string dialect, string url)
    {
        await using var server = new ApiFactory { Settings = { ["ServeNet:Overload:RequestTimeoutSeconds"] = "1" } };
        var client = await server.StartAsync();
        string body = Body(dialect, ["a wonderful, moving film"]);
        var gate = server.Services.GetRequiredService<PredictionGate>();
        var clock = Stopwatch.StartNew();

        HttpResponseMessage timedOut;
        using (var all = await gate.AdmitAsync(new DefaultHttpContext(), 20_000, CancellationToken.None))
            timedOut = await client.PostJsonText(url, body);
        var elapsed = clock.Elapsed;
        var admitted = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        string message = url.StartsWith("/v2/", StringComparison.Ordinal)
            ? ProtocolShapes.Error(await timedOut.Json())
            : (await timedOut.Problem()).GetProperty("detail").GetString()!;
        Assert.Contains("ServeNet:Overload:RequestTimeoutSeconds", message);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode); // the cancelled wait left the queue and returned nothing
    }

    [Theory]
    [InlineData("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["Angela Merkel"]}]}""", HttpStatusCode.OK)]
    [InlineData("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": [" "]}]}""", HttpStatusCode.BadRequest)]
    public async Task V2Infer_AnyAnswer_IsNeitherSniffedNorStored(string json, HttpStatusCode status)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/v2/models/ner/infer", json);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
    }

    [Fact]
    public async Task Metrics_V2Requests_AreLabelledByRoutePatternNotByModelName()
    {
        await using var server = new ApiFactory();
        var client = await server.StartAsync();
        string body = Body("v2", ["Angela Merkel visited Paris"]);
        await client.PostJsonText("/v2/models/sentiment/infer", body);
        await client.PostJsonText("/v2/models/ner/infer", body);
        await client.PostJsonText("/v2/models/invented-by-a-client/infer", body);
        await client.SendAsync(new HttpRequestMessage(new HttpMethod("INVENTED"), "/v2/models/ner/infer"));

        string metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("http_requests_received_total{code=\"200\",method=\"POST\",endpoint=\"/v2/models/{name}/infer\"} 2", metrics);
        Assert.Contains("http_requests_received_total{code=\"404\",method=\"POST\",endpoint=\"/v2/models/{name}/infer\"} 1", metrics);
        Assert.DoesNotContain("invented-by-a-client", metrics);
        Assert.DoesNotContain("INVENTED", metrics);
        Assert.DoesNotContain("=\"\"", metrics);
    }
}
