using System.Net;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Hosting;

/// <summary>Request targets and headers over ServeNet:Server's limits: 414 and 431 problem details.</summary>
public sealed class RequestHeadLimitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Request_TargetOverTheLimit_Returns414Problem()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/health/live?q=" + new string('a', 8_200));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Contains("8,192", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Request_HeadersOverTheLimit_Returns431Problem()
    {
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Big", new string('a', 33_000) } } };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Contains("32,768", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Request_TooManyHeaderLines_Returns431Problem()
    {
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        for (int i = 0; i < 101; i++) request.Headers.Add($"X-Line-{i}", "1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await response.Problem();
    }

    [Fact]
    public async Task Request_WithinTheLimits_IsAnswered()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/health/live?q=" + new string('a', 8_000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
