using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Observability;

public sealed class LoggingTests
{
    private const string PrivateText = "my private diary entry is a good film";

    [Fact]
    public async Task RequestLog_ByDefault_HasOneLinePerRequestWithStatusAndVersionButNoText()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify", new { text = PrivateText });
        var line = await RequestLine(factory, "/classify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("200", line.Properties["StatusCode"].ToString());
        Assert.True(line.Properties.ContainsKey("Elapsed"));
        Assert.Equal($"\"{factory.Registry.Sentiment.Current!.Info.Version}\"", line.Properties["ModelVersion"].ToString());
        Assert.Equal("1", line.Properties["TextCount"].ToString());
        Assert.DoesNotContain(factory.Logs.Events, e => e.RenderMessage().Contains("diary") || e.Properties.Values.Any(v => v.ToString().Contains("diary")));
    }

    [Fact]
    public async Task RequestLog_WithIncludeText_HasTheTexts()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Logging:IncludeText"] = "true" } };
        var client = await factory.StartAsync();

        await client.PostAsJsonAsync("/ner", new { texts = new[] { PrivateText, "Angela Merkel" } });
        var line = await RequestLine(factory, "/ner");

        Assert.Contains("diary", line.Properties["Texts"].ToString());
    }

    internal static async Task<Serilog.Events.LogEvent> RequestLine(ApiFactory factory, string path)
    {
        // Written as the response completes, so possibly just after the client has it.
        for (int i = 0; i < 100; i++)
        {
            var line = factory.Logs.Events.SingleOrDefault(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == $"\"{path}\"");
            if (line is not null) return line;
            await Task.Delay(20);
        }
        Assert.Fail($"No request log line for {path}.");
        return null!;
    }
}
