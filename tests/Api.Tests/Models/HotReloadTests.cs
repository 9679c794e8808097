using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServeNet.Api.Models;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Models;

/// <summary>Checkpoints replaced while serving: each test has its own host and folder.</summary>
public sealed class HotReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task HotReload_ReplacedCheckpoint_ServesTheNewVersion()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");

        TinyModels.WriteSentiment(factory.SentimentPath, strength: 6f);
        string after = await Eventually(() => Version(client, "/classify"), v => v != before);

        Assert.NotEqual(before, after);
        var status = await SentimentStatus(client);
        Assert.Equal("serving", status.GetProperty("status").GetString());
        Assert.Equal(after, status.GetProperty("version").GetString());
        // Logged just after the swap.
        await Eventually(() => Task.FromResult(factory.Logs.Messages.ToArray()), logs => logs.Any(m => m.Contains(after) && m.Contains("file changed") && m.Contains(before)));
    }

    [Fact]
    public async Task HotReload_CorruptReplacement_KeepsServingTheOldVersionAndReportsTheFailure()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");

        var bytes = await File.ReadAllBytesAsync(factory.SentimentPath);
        bytes[bytes.Length / 2] ^= 0xFF; // the checksum trailer no longer matches
        await File.WriteAllBytesAsync(factory.SentimentPath + ".new", bytes);
        File.Move(factory.SentimentPath + ".new", factory.SentimentPath, overwrite: true);
        var status = await Eventually(() => SentimentStatus(client), s => s.GetProperty("lastError").ValueKind != JsonValueKind.Null);

        Assert.Equal("serving-previous", status.GetProperty("status").GetString());
        Assert.Equal(before, status.GetProperty("version").GetString());
        string reason = status.GetProperty("lastError").GetProperty("reason").GetString()!;
        Assert.Equal("sentiment.ckpt", status.GetProperty("lastError").GetProperty("file").GetString()); // a name, never a path
        Assert.Equal(before, await Version(client, "/classify"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Contains(factory.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.RenderMessage().Contains(factory.SentimentPath) && e.RenderMessage().Contains(reason) && e.RenderMessage().Contains("keeps serving"));

        // A valid file afterwards is picked up and clears the failure.
        TinyModels.WriteSentiment(factory.SentimentPath, strength: 7f);
        var recovered = await Eventually(() => SentimentStatus(client), s => s.GetProperty("status").GetString() == "serving");
        Assert.NotEqual(before, recovered.GetProperty("version").GetString());
    }

    [Fact]
    public async Task HotReload_CheckpointOfTheWrongKind_IsRefused()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        string before = await Version(client, "/ner");

        TinyModels.WriteSentiment(factory.NerPath);
        var status = await Eventually(async () => (await (await client.GetAsync("/models")).Json()).GetProperty("models")[1],
            s => s.GetProperty("lastError").ValueKind != JsonValueKind.Null);

        Assert.Contains("metadata.kind", status.GetProperty("lastError").GetProperty("reason").GetString());
        Assert.Equal(before, await Version(client, "/ner"));
    }

    [Fact]
    public async Task AdminReload_FromLocalMachine_LoadsTheNewCheckpointAtOnce()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:Watch"] = "false" } };
        var client = await factory.StartAsync();
        string before = await Version(client, "/ner");

        TinyModels.WriteNer(factory.NerPath, strength: 2f);
        var response = await client.PostAsync("/models/reload?task=ner", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = Assert.Single((await response.Json()).GetProperty("results").EnumerateArray());
        Assert.True(outcome.GetProperty("loaded").GetBoolean());
        string after = outcome.GetProperty("version").GetString()!;
        Assert.NotEqual(before, after);
        Assert.Equal(after, await Version(client, "/ner"));
    }

    [Fact]
    public async Task AdminReload_CorruptCheckpoint_ReportsFailureAndKeepsServing()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:Watch"] = "false" } };
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");

        await File.WriteAllTextAsync(factory.SentimentPath, "not a checkpoint");
        var response = await client.PostAsync("/models/reload", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcomes = (await response.Json()).GetProperty("results").EnumerateArray().ToArray();
        Assert.False(outcomes[0].GetProperty("loaded").GetBoolean());
        Assert.Equal(before, outcomes[0].GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(outcomes[0].GetProperty("error").GetString()));
        Assert.True(outcomes[1].GetProperty("loaded").GetBoolean());
        Assert.Equal(before, await Version(client, "/classify"));
    }

    [Fact]
    public async Task AdminReload_WithAdminKeyConfigured_RequiresTheKey()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:AdminKey"] = "s3cret", ["ServeNet:Models:Watch"] = "false" } };
        var client = await factory.StartAsync();

        var without = await client.PostAsync("/models/reload", null);
        var wrong = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/models/reload") { Headers = { { "X-Admin-Key", "guess" } } });
        var right = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/models/reload") { Headers = { { "X-Admin-Key", "s3cret" } } });

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        await without.Problem();
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task AdminReload_UnknownTask_Returns404Problem()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:Watch"] = "false" } };
        var client = await factory.StartAsync();

        var response = await client.PostAsync("/models/reload?task=translation", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("sentiment", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task HotReload_DuringTraffic_EveryRequestSucceeds()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:Watch"] = "false" } };
        var client = await factory.StartAsync();

        var traffic = Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.PostAsJsonAsync("/classify", new { text = "a good film" })));
        for (int i = 0; i < 4; i++)
        {
            TinyModels.WriteSentiment(factory.SentimentPath, strength: 5f + i);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/models/reload?task=sentiment", null)).StatusCode);
        }

        Assert.All(await traffic, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task HotReload_SwappedFolderLink_ServesTheNewVersion()
    {
        // The Kubernetes ConfigMap / git-sync layout: sentiment.ckpt → ..data/sentiment.ckpt, ..data → a dated folder.
        await using var factory = new ApiFactory { WriteSentiment = false };
        string folder = Directory.CreateDirectory(factory.ModelsDirectory).FullName;
        string first = Directory.CreateDirectory(Path.Combine(folder, "..2026_11_30_a")).FullName;
        TinyModels.WriteSentiment(Path.Combine(first, "sentiment.ckpt"), strength: 4f);
        Directory.CreateSymbolicLink(Path.Combine(folder, "..data"), "..2026_11_30_a");
        File.CreateSymbolicLink(factory.SentimentPath, "..data/sentiment.ckpt");
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");

        // The same size and write time as the old file: only the resolved path tells them apart.
        string second = Directory.CreateDirectory(Path.Combine(folder, "..2026_11_30_b")).FullName;
        TinyModels.WriteSentiment(Path.Combine(second, "sentiment.ckpt"), strength: 6f);
        File.SetLastWriteTimeUtc(Path.Combine(second, "sentiment.ckpt"), File.GetLastWriteTimeUtc(Path.Combine(first, "sentiment.ckpt")));
        Directory.CreateSymbolicLink(Path.Combine(folder, "..data_tmp"), "..2026_11_30_b");
        // rename(2) of the new link over the old one, atomically, as kubelet does (.NET's File.Move refuses a link to a folder).
        using (var mv = System.Diagnostics.Process.Start("mv", ["-T", Path.Combine(folder, "..data_tmp"), Path.Combine(folder, "..data")]))
        {
            await mv.WaitForExitAsync();
            Assert.Equal(0, mv.ExitCode);
        }
        string after = await Eventually(() => Version(client, "/classify"), v => v != before);

        Assert.Equal(new FileInfo(Path.Combine(first, "sentiment.ckpt")).Length, new FileInfo(Path.Combine(second, "sentiment.ckpt")).Length);
        var status = await SentimentStatus(client);
        Assert.Equal(after, status.GetProperty("version").GetString());
        Assert.Equal(ContentHash.Of(Path.Combine(second, "sentiment.ckpt")), status.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task HotReload_NewContentWithTheSameSizeAndTime_IsFoundByItsHash()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");
        var written = File.GetLastWriteTimeUtc(factory.SentimentPath);

        string replacement = factory.SentimentPath + ".new";
        TinyModels.WriteSentiment(replacement, strength: 6f);
        File.SetLastWriteTimeUtc(replacement, written);
        File.Move(replacement, factory.SentimentPath, overwrite: true); // same path, size and time: one atomic rename
        string after = await Eventually(() => Version(client, "/classify"), v => v != before);

        Assert.NotEqual(before, after);
        Assert.Contains(factory.Logs.Messages, m => m.Contains(after) && m.Contains("content changed"));
    }

    [Fact]
    public async Task HotReload_FileOverTheMaximumSize_IsRefusedAndTheOldVersionServes()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Models:MaxCheckpointBytes"] = "100000" } };
        var client = await factory.StartAsync();
        string before = await Version(client, "/classify");

        await File.WriteAllBytesAsync(factory.SentimentPath + ".new", new byte[1_000_000]);
        File.Move(factory.SentimentPath + ".new", factory.SentimentPath, overwrite: true);
        var status = await Eventually(() => SentimentStatus(client), s => s.GetProperty("lastError").ValueKind != JsonValueKind.Null);

        Assert.Equal("serving-previous", status.GetProperty("status").GetString());
        Assert.Contains("file size", status.GetProperty("lastError").GetProperty("reason").GetString());
        Assert.Equal(before, await Version(client, "/classify"));
    }

    public static async Task<string> Version(HttpClient client, string url)
    {
        var response = await client.PostAsJsonAsync(url, new { text = "Angela Merkel saw a good film" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("X-Model-Version"));
    }

    private static async Task<JsonElement> SentimentStatus(HttpClient client) =>
        (await (await client.GetAsync("/models")).Json()).GetProperty("models")[0];

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Still {value} after {Patience.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }
}
