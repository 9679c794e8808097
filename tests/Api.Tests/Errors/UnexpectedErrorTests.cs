using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServeNet.Api.Models;
using ServeNet.Api.Tests.Fixtures;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Api.Tests.Errors;

public sealed class UnexpectedErrorTests
{
    [Fact]
    public async Task Classify_ModelThrows_Returns500ProblemWithTraceIdLoggedOnceWithoutStack()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();
        // A model whose embedding table is shorter than its vocabulary: any known word indexes past the end.
        var vocabulary = new Vocabulary(["good", "bad"]);
        var network = new Classifier<TokenBatch>(new EmbeddingBag("embedding", 2, 2), [new Dense("output", 2, 2)]);
        var broken = new TextClassifier(network, new WordTokenizer(TokenizerSettings.Sentiment, vocabulary), ["negative", "positive"],
            new ModelInfo("broken", TextClassifier.Kind, "broken-000000000000", "", ["negative", "positive"], 4, [], "broken.ckpt"));
        factory.Registry.Sentiment.Swap(new ServedModel<TextClassifier>(broken, broken.Info, default, DateTimeOffset.UtcNow, TimeSpan.Zero));

        var response = await client.PostAsJsonAsync("/classify", new { text = "good" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Problem();
        string traceId = problem.GetProperty("traceId").GetString()!;
        Assert.False(string.IsNullOrEmpty(traceId));
        string raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(" at ", raw);
        Assert.DoesNotContain("Exception", raw);
        // The request log line is written as the response completes, after the exception's own event.
        for (int i = 0; i < 100 && !factory.Logs.Messages.Any(m => m.Contains("responded 500")); i++) await Task.Delay(20);
        var error = Assert.Single(factory.Logs.Events, e => e.Exception is not null);
        Assert.Contains("   at ", error.Exception!.ToString());
        Assert.Contains(factory.Logs.Events, e => e.Exception is null && e.RenderMessage().Contains("responded 500"));
    }
}
