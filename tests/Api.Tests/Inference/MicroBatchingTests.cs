using System.Net;
using System.Net.Http.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Inference;

public sealed class MicroBatchingTests
{
    [Fact]
    public async Task Classify_ConcurrentRequestsWithMicroBatching_GiveTheSameAnswersAsWithout()
    {
        string[] texts = ["a wonderful, moving film", "a dull, tedious mess", "a boring film", "a moving film", "wonderful", "tedious"];

        async Task<string[]> Answers(bool microBatching)
        {
            await using var factory = new ApiFactory();
            factory.Settings["ServeNet:Inference:MicroBatching"] = microBatching ? "true" : "false";
            var client = await factory.StartAsync();
            var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
                client.PostAsJsonAsync("/classify", new { text = texts[i % texts.Length] })));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            return await Task.WhenAll(responses.Select(async r =>
            {
                var result = (await r.Json()).GetProperty("results")[0];
                return $"{result.GetProperty("label").GetString()} {result.GetProperty("score").GetSingle():F5}";
            }));
        }

        Assert.Equal(await Answers(microBatching: false), await Answers(microBatching: true));
    }
}
