using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Observability;

/// <summary>X-Request-Id and traceparent on every response, and in the request's log line.</summary>
public sealed class RequestIdTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string ParentSpan = "b7ad6b7169203331";

    [Theory]
    [InlineData("POST", "/classify", """{"text": "good"}""")]
    [InlineData("POST", "/ner", """{"texts": []}""")]
    [InlineData("POST", "/v2/models/ner/infer", "{}")]
    [InlineData("GET", "/nothing-here", null)]
    [InlineData("GET", "/health/live", null)]
    [InlineData("GET", "/", null)]
    public async Task AnyResponse_WithAClientRequestId_EchoesIt(string method, string url, string? body)
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        request.Headers.Add("X-Request-Id", "client-req_1.2:3");

        var response = await client.SendAsync(request);

        Assert.Equal("client-req_1.2:3", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has spaces in it")]
    [InlineData("<script>")]
    public async Task AnyResponse_WithoutAUsableRequestId_GetsANewOne(string? sent)
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        if (sent is not null) request.Headers.TryAddWithoutValidation("X-Request-Id", sent);

        var first = await client.SendAsync(request);
        var second = await client.GetAsync("/health/live");

        string id = Assert.Single(first.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.NotEqual(id, Assert.Single(second.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task AnyResponse_WithTraceparent_ContinuesTheTraceAndReturnsTheServersSpan()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/classify") { Content = JsonContent.Create(new { text = "good" }) };
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentSpan}-01");

        var response = await client.SendAsync(request);

        string traceparent = Assert.Single(response.Headers.GetValues("traceparent"));
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-0[01]$", traceparent);
        Assert.DoesNotContain(ParentSpan, traceparent);
    }

    [Fact]
    public async Task Problem_WithTraceparent_HasTheSameTraceIdInItsBody()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/ner") { Content = JsonContent.Create(new { texts = Array.Empty<string>() }) };
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentSpan}-01");

        var response = await client.SendAsync(request);

        Assert.Contains(TraceId, (await response.Problem()).GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task RequestLog_HasTheRequestIdOfTheResponse()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/classify") { Content = JsonContent.Create(new { text = "good" }) };
        request.Headers.Add("X-Request-Id", "from-the-proxy-42");

        var response = await client.SendAsync(request);
        var line = await LoggingTests.RequestLine(factory, "/classify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"from-the-proxy-42\"", line.Properties["RequestId"].ToString());
    }
}
