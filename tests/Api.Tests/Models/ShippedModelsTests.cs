using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Models;

/// <summary>The real checkpoints in the repository's models/ folder, served as `dotnet run --project src/Api` would.</summary>
public sealed class ShippedModelsTests
{
    [Fact]
    public async Task ShippedModels_ObviousSentences_AreClassifiedAndTagged()
    {
        string models = FindModelsDirectory();
        foreach (var file in new[] { "sentiment.ckpt", "ner.ckpt" })
        {
            string path = Path.Combine(models, file);
            Assert.True(File.Exists(path), $"The shipped checkpoint {path} is missing: the API serves models/{file} by default, "
                + "so it must be trained (src/Training) and committed before this test can pass.");
        }
        await using var factory = new ApiFactory
        {
            ModelsDirectory = models,
            OwnsDirectory = false,
            WriteSentiment = false,
            WriteNer = false,
            Settings = { ["ServeNet:Models:Watch"] = "false" },
        };
        var client = await factory.StartAsync();
        var ready = await client.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"not ready: {await ready.Content.ReadAsStringAsync()}");

        var classified = await (await client.PostAsJsonAsync("/classify",
            new { texts = new[] { "a wonderful, moving film", "a dull, tedious mess" } })).Json();
        var tagged = await (await client.PostAsJsonAsync("/ner", new { text = "Angela Merkel visited Paris" })).Json();

        var labels = classified.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("label").GetString()!).ToArray();
        Assert.Equal(["positive", "negative"], labels);
        var entities = tagged.GetProperty("results")[0].GetProperty("entities").EnumerateArray()
            .Select(e => (e.GetProperty("text").GetString(), e.GetProperty("type").GetString())).ToArray();
        Assert.Contains(("Angela Merkel", "PER"), entities);
        Assert.Contains(("Paris", "LOC"), entities);
    }

    /// <summary>models/ beside ServeNet.sln, found by walking up from the test assembly's folder.</summary>
    internal static string FindModelsDirectory()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ServeNet.sln"))) return Path.Combine(folder.FullName, "models");
        Assert.Fail($"No ServeNet.sln above {AppContext.BaseDirectory}: cannot find the repository's models/ folder.");
        return "";
    }
}
