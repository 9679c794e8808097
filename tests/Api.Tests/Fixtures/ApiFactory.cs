using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Serilog.Core;
using ServeNet.Api.Models;

namespace ServeNet.Api.Tests.Fixtures;

/// <summary>
/// The API in memory, serving tiny seeded checkpoints written to a fresh temp folder (or, for the
/// real-model test, another folder), with fast file polling and a log collector.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public string ModelsDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "servenet-api-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Write the tiny checkpoints before start-up (false: leave the folder as it is).</summary>
    public bool WriteSentiment { get; init; } = true;
    public bool WriteNer { get; init; } = true;

    /// <summary>Delete the models folder on dispose (never for the repository's models/).</summary>
    public bool OwnsDirectory { get; init; } = true;

    /// <summary>Extra configuration, e.g. ["ServeNet:Limits:MaxBatchSize"] = "2".</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public LogCollector Logs { get; } = new();

    public string SentimentPath => Path.Combine(ModelsDirectory, "sentiment.ckpt");
    public string NerPath => Path.Combine(ModelsDirectory, "ner.ckpt");

    public ModelRegistry Registry => Services.GetRequiredService<ModelRegistry>();

    /// <summary>A client, once the start-up load of every model has finished (whatever its outcome).</summary>
    public async Task<HttpClient> StartAsync()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Registry.StartupLoadCompleted.WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(ModelsDirectory);
        if (WriteSentiment) TinyModels.WriteSentiment(SentimentPath);
        if (WriteNer) TinyModels.WriteNer(NerPath);
        var settings = new Dictionary<string, string?>
        {
            ["ServeNet:Models:Directory"] = ModelsDirectory,
            ["ServeNet:Models:PollIntervalMilliseconds"] = "100",
            ["ServeNet:Models:SettleMilliseconds"] = "50",
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        // Also as host settings: Program.cs reads some (OTEL_*) from builder.Configuration before the app is built,
        // when app configuration added here is not there yet.
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            // Hosts run in parallel: each gets its own metrics, as each has its own models.
            services.AddSingleton(Metrics.NewCustomRegistry());
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteDirectory();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteDirectory();
    }

    private void DeleteDirectory()
    {
        if (!OwnsDirectory) return;
        try
        {
            if (Directory.Exists(ModelsDirectory)) Directory.Delete(ModelsDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
