using System.Net;
using System.Net.Http.Headers;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Overload;

/// <summary>The request time limit (ServeNet:Overload:RequestTimeoutSeconds), here one second.</summary>
public sealed class RequestTimeLimitTests
{
    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_BodyStillArrivingAtTheTimeLimit_Returns504Problem(string url)
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Overload:RequestTimeoutSeconds"] = "1" } };
        var client = await factory.StartAsync();
        using var stalled = new StalledContent("""{"text": "a good fi""").Json();

        var response = await client.PostAsync(url, stalled);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await response.Problem();
        Assert.Equal("Request timed out", problem.GetProperty("title").GetString());
        Assert.Contains("ServeNet:Overload:RequestTimeoutSeconds", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task V2Infer_BodyStillArrivingAtTheTimeLimit_Returns504AsTheProtocolsErrorObject()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Overload:RequestTimeoutSeconds"] = "1" } };
        var client = await factory.StartAsync();
        using var stalled = new StalledContent("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a good fi""").Json();

        var response = await client.PostAsync("/v2/models/sentiment/infer", stalled);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.StartsWith("The request took longer than the limit of 1 s (ServeNet:Overload:RequestTimeoutSeconds)",
            ProtocolShapes.Error(await response.Json()));
    }

    /// <summary>A JSON body that sends its first bytes, then nothing until the request is over.</summary>
    private sealed class StalledContent(string start) : HttpContent
    {
        private readonly TaskCompletionSource _never = new();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(start));
            await stream.FlushAsync();
            await _never.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            _never.TrySetResult();
            base.Dispose(disposing);
        }

        public StalledContent Json()
        {
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return this;
        }
    }
}
