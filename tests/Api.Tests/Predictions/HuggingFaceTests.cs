using System.Net;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Predictions;

/// <summary>Requests as Hugging Face Inference / TEI clients send them: "inputs" (a string or a list) and "parameters".</summary>
public sealed class HuggingFaceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_InputsString_AnswersLikeText(string url)
    {
        var client = await factory.StartAsync();

        var asText = await (await client.PostJsonText(url, """{"text": "Angela Merkel saw a good film"}""")).Json();
        var response = await client.PostJsonText(url, """{"inputs": "Angela Merkel saw a good film"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(asText.GetProperty("results").ToString(), (await response.Json()).GetProperty("results").ToString());
    }

    [Fact]
    public async Task Classify_InputsList_AnswersLikeTexts()
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/classify", """{"inputs": ["a dull mess", "a wonderful film"]}""");

        var labels = (await response.Json()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("label").GetString());
        Assert.Equal(["negative", "positive"], labels);
    }

    [Theory]
    [InlineData(1, new[] { "positive" })]
    [InlineData(2, new[] { "positive", "negative" })]
    [InlineData(5, new[] { "positive", "negative" })]
    public async Task Classify_TopK_AddsTheKMostProbableLabelsMostProbableFirst(int k, string[] labels)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/classify", $$$"""{"inputs": "a wonderful film", "parameters": {"top_k": {{{k}}}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Json()).GetProperty("results")[0];
        var top = result.GetProperty("top").EnumerateArray().ToArray();
        Assert.Equal(labels, top.Select(t => t.GetProperty("label").GetString()));
        Assert.Equal(result.GetProperty("score").GetSingle(), top[0].GetProperty("score").GetSingle());
        Assert.Equal(result.GetProperty("probabilities").GetProperty(labels[^1]).GetSingle(), top[^1].GetProperty("score").GetSingle());
    }

    [Fact]
    public async Task Classify_WithoutTopK_HasNoTop()
    {
        var client = await factory.StartAsync();

        var result = (await (await client.PostJsonText("/classify", """{"inputs": "good"}""")).Json()).GetProperty("results")[0];

        Assert.False(result.TryGetProperty("top", out _));
    }

    [Theory]
    [InlineData("/classify", """{"inputs": "good", "parameters": {"top_k": 0}}""", "parameters.top_k", "Expected a whole number of at least 1; found 0.")]
    [InlineData("/classify", """{"inputs": "good", "parameters": {"top_k": "2"}}""", "parameters.top_k", "Expected a whole number of at least 1; found a string.")]
    [InlineData("/classify", """{"inputs": "good", "parameters": {"function_to_apply": "none"}}""", "parameters.function_to_apply", "Unknown parameter: the only parameter is \"top_k\" (POST /classify).")]
    [InlineData("/ner", """{"inputs": "Angela", "parameters": {"top_k": 2}}""", "parameters.top_k", "top_k applies to POST /classify only.")]
    [InlineData("/ner", """{"inputs": 5}""", "inputs", "Expected a string or an array of strings; found a number.")]
    [InlineData("/ner", """{"inputs": ["a", true]}""", "inputs[1]", "Expected a string; found a boolean.")]
    [InlineData("/classify", """{"inputs": ["a", " "]}""", "inputs[1]", "The text is empty or only whitespace.")]
    [InlineData("/classify", """{"inputs": "a", "text": "b"}""", "text", "Give one of \"text\" (one text), \"texts\" (a batch of texts) or \"inputs\" (either, Hugging Face style), not several.")]
    public async Task Predict_BadHuggingFaceRequest_Returns400NamingTheField(string url, string body, string field, string message)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, Assert.Single((await response.Problem()).ErrorsFor(field)));
    }
}
