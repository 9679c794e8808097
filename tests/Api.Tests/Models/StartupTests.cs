using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServeNet.Api.Hosting;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Models;

/// <summary>
/// A missing or corrupt checkpoint at start-up: the process stays up but not ready, the affected
/// endpoint answers 503 naming the file and the reason, the other model serves, and a valid file
/// appearing later is loaded.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Startup_MissingCheckpoint_NotReadyAndEndpointAnswers503()
    {
        await using var factory = new ApiFactory { WriteSentiment = false };
        var client = await factory.StartAsync();

        var ready = await client.GetAsync("/health/ready");
        var classify = await client.PostAsJsonAsync("/classify", new { text = "good" });
        var ner = await client.PostAsJsonAsync("/ner", new { text = "Angela Merkel" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var readiness = await ready.Json();
        Assert.Equal("not-ready", readiness.GetProperty("status").GetString());
        Assert.Equal("sentiment.ckpt: file not found", readiness.GetProperty("models")[0].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, classify.StatusCode);
        Assert.Equal("model not loaded: sentiment.ckpt: file not found", (await classify.Problem()).GetProperty("detail").GetString());
        Assert.NotNull(classify.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, ner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Contains(factory.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.RenderMessage().Contains(factory.SentimentPath) && e.RenderMessage().Contains("file not found"));
    }

    [Fact]
    public async Task Startup_CorruptCheckpoint_NotReadyAndLogsFileAndReason()
    {
        await using var factory = new ApiFactory { WriteNer = false };
        Directory.CreateDirectory(factory.ModelsDirectory);
        await File.WriteAllBytesAsync(factory.NerPath, [1, 2, 3, 4, 5, 6, 7, 8]);
        var client = await factory.StartAsync();

        var ready = await client.GetAsync("/health/ready");
        var ner = await client.PostAsJsonAsync("/ner", new { text = "Angela Merkel" });
        var models = await (await client.GetAsync("/models")).Json();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ner.StatusCode);
        string detail = (await ner.Problem()).GetProperty("detail").GetString()!;
        Assert.StartsWith("model not loaded: ner.ckpt: ", detail);
        var status = models.GetProperty("models")[1];
        Assert.Equal("failed", status.GetProperty("status").GetString());
        string reason = status.GetProperty("lastError").GetProperty("reason").GetString()!;
        Assert.EndsWith(reason, detail);
        Assert.Contains(factory.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.RenderMessage().Contains(factory.NerPath) && e.RenderMessage().Contains(reason));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/classify", new { text = "good" })).StatusCode);
    }

    [Fact]
    public async Task Startup_MissingCheckpointAppearsLater_IsLoadedAndBecomesReady()
    {
        await using var factory = new ApiFactory { WriteNer = false };
        var client = await factory.StartAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);

        TinyModels.WriteNer(factory.NerPath);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(50);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/ner", new { text = "Angela Merkel" })).StatusCode);
    }

    [Fact]
    public async Task Startup_MissingModelsFolder_NotReadyButLive()
    {
        await using var factory = new ApiFactory { WriteSentiment = false, WriteNer = false };
        factory.Settings["ServeNet:Models:Directory"] = Path.Combine(factory.ModelsDirectory, "does-not-exist");
        var client = await factory.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("ServeNet:Limits:MaxBatchSize", "0")]
    [InlineData("ServeNet:Limits:MaxTextLength", "-5")]
    [InlineData("ServeNet:Models:SentimentFile", "../elsewhere/sentiment.ckpt")]
    [InlineData("ServeNet:Server:Port", "70000")]
    [InlineData("ServeNet:Server:Host", "not-an-address")]
    [InlineData("ServeNet:Limits:MaxTokensPerText", "0")]
    [InlineData("ServeNet:Limits:MaxExplainTokensPerRequest", "50000")]
    [InlineData("ServeNet:Overload:MaxTokensInFlight", "1000")]
    [InlineData("ServeNet:Overload:MaxTokensPerClient", "10")]
    [InlineData("ServeNet:Overload:RequestTimeoutSeconds", "-1")]
    [InlineData("ServeNet:Models:MaxCheckpointBytes", "10")]
    public void Startup_InvalidOption_FailsNamingTheSetting(string key, string value)
    {
        // The host's start-up validation (ValidateOnStart) on exactly the API's option registrations.
        // Starting a whole WebApplicationFactory host for this races inside Mvc.Testing's deferred host:
        // a failed start is sometimes reported as ObjectDisposedException instead of the real error.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddServeNetOptions();
        using var provider = services.BuildServiceProvider();

        var validator = provider.GetRequiredService<IStartupValidator>();
        var error = Assert.ThrowsAny<OptionsValidationException>(validator.Validate);

        Assert.Contains(key.Split(':')[^1], error.Message);
    }
}
