using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ServeNet.Api.Tests.Fixtures;
using ServeNet.Api.Tests.Models;

namespace ServeNet.Api.Tests.Predictions;

/// <summary>Runs alone, after the parallel tests: it measures the whole process's managed heap.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection;

/// <summary>
/// Memory that comes back: after the largest requests the limits allow, the managed heap returns near
/// its baseline. The shipped models, whose workspaces cost ~20 KB per row: a workspace kept at the
/// size of a 20,000-token request would hold ~400 MB.
/// </summary>
[Collection(nameof(MemoryTests))]
public sealed class MemoryTests
{
    [Fact]
    public async Task Predict_LargestRequests_ManagedMemoryReturnsNearItsBaseline()
    {
        await using var factory = new ApiFactory
        {
            ModelsDirectory = ShippedModelsTests.FindModelsDirectory(),
            OwnsDirectory = false,
            WriteSentiment = false,
            WriteNer = false,
            Settings = { ["ServeNet:Models:Watch"] = "false", ["urls"] = "http://127.0.0.1:0" },
        };
        // Real Kestrel: the in-memory test server buffers a whole response in one pooled array.
        factory.UseKestrel();
        factory.StartServer();
        string address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        await factory.Registry.StartupLoadCompleted.WaitAsync(TimeSpan.FromSeconds(30));
        await Answered(client, "/ner", new { text = "Angela Merkel visited Paris ." });
        await Answered(client, "/classify?explain=true", new { text = "a good film" });
        long baseline = GC.GetTotalMemory(forceFullCollection: true);

        // At the default limits: 5,000 tokens per text, 20,000 per request, 2,000 with explain.
        string text = string.Concat(Enumerable.Repeat("Angela Merkel visited Paris . ", 1_000)); // 5,000 tokens
        await Answered(client, "/ner", new { texts = Enumerable.Repeat(text, 4) });
        await Answered(client, "/classify", new { texts = Enumerable.Repeat(text, 4) });
        await Answered(client, "/classify?explain=true", new { text = string.Concat(Enumerable.Repeat("a good film , ", 500)) });
        long after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(after - baseline < 32 << 20, $"managed heap {baseline / 1e6:F1} MB before, {after / 1e6:F1} MB after");
    }

    private static async Task Answered(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.CopyToAsync(Stream.Null);
    }
}
