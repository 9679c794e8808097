using System.Net;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Benchmark;

/// <summary>POST /noop is a benchmark aid: absent unless ServeNet:Benchmark:NoopEndpoint turns it on.</summary>
public sealed class NoopApiTests
{
    [Fact]
    public async Task Noop_ByDefault_Returns404()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/noop", """{"text": "anything"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Noop_WithBenchmarkSetting_ReturnsConstant()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Benchmark:NoopEndpoint"] = "true" } };
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/noop", """{"text": "anything"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Noop_WithBenchmarkSetting_IsNotInTheOpenApiDocument()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Benchmark:NoopEndpoint"] = "true" } };
        var client = await factory.StartAsync();

        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).Json();

        Assert.False(document.GetProperty("paths").TryGetProperty("/noop", out _));
    }
}
