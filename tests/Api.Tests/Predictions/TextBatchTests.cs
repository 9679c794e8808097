using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Tests.Predictions;

/// <summary>The shared request's reading and rules, without a host.</summary>
public sealed class TextBatchTests
{
    private static readonly LimitsOptions Limits = new()
    {
        MaxBatchSize = 3, MaxTextLength = 10, MaxTokensPerText = 4, MaxTokensPerRequest = 6, MaxExplainTokensPerRequest = 3,
    };

    private static PredictionRequest? Parse(string json) => JsonSerializer.Deserialize<PredictionRequest>(json, JsonSerializerOptions.Web);

    [Fact]
    public void TextBatch_ValidBatch_ReturnsTheTextsInOrder()
    {
        bool read = TextBatch.TryRead(Parse("""{"texts": ["a", "b"]}"""), Limits, explain: false, out var texts, out _, out var refusal);

        Assert.True(read);
        Assert.Null(refusal);
        Assert.Equal(["a", "b"], texts);
    }

    [Fact]
    public void TextBatch_BatchOverTheLimitWithBlankItems_Returns413BeforeNamingItems()
    {
        TextBatch.TryRead(Parse("""{"texts": ["", " ", "", ""]}"""), Limits, explain: false, out _, out _, out var refusal);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal!.StatusCode);
        Assert.Equal(["texts"], Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails).Errors.Keys);
    }

    [Fact]
    public void TextBatch_UnknownFields_AreEachNamedWithTheMissingField()
    {
        TextBatch.TryRead(Parse("""{"txt": "a", "Colour": 1}"""), Limits, explain: false, out _, out _, out var refusal);

        Assert.Equal(StatusCodes.Status400BadRequest, refusal!.StatusCode);
        Assert.Equal(["Colour", "text", "txt"], Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails).Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TextBatch_Texts_CostTheirTokens()
    {
        TextBatch.TryRead(Parse("""{"texts": ["a b", "c,d!"]}"""), Limits, explain: false, out _, out int tokens, out var refusal);

        Assert.Null(refusal);
        Assert.Equal(2 + 4, tokens);
    }

    [Fact]
    public void TextBatch_TextOverTheTokenLimit_Returns413NamingTheTextAndTheSetting()
    {
        TextBatch.TryRead(Parse("""{"texts": ["a", ",,,,,"]}"""), Limits, explain: false, out _, out _, out var refusal);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal!.StatusCode);
        var problem = Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails);
        Assert.Equal(["texts[1]"], problem.Errors.Keys);
        Assert.Contains("ServeNet:Limits:MaxTokensPerText", problem.Detail);
    }

    [Fact]
    public void TextBatch_RequestOverTheTokenLimit_Returns413NamingTheSetting()
    {
        TextBatch.TryRead(Parse("""{"texts": ["a b c", "d e f", "g"]}"""), Limits, explain: false, out _, out _, out var refusal);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal!.StatusCode);
        var problem = Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails);
        Assert.Equal(["texts"], problem.Errors.Keys);
        Assert.Contains("ServeNet:Limits:MaxTokensPerRequest", problem.Detail);
    }

    [Fact]
    public void TextBatch_ExplainOverItsLowerLimit_Returns413NamingTheExplainSetting()
    {
        var withoutExplain = TextBatch.TryRead(Parse("""{"text": "a b c d"}"""), Limits, explain: false, out _, out _, out _);
        TextBatch.TryRead(Parse("""{"text": "a b c d"}"""), Limits, explain: true, out _, out _, out var refusal);

        Assert.True(withoutExplain);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal!.StatusCode);
        Assert.Contains("ServeNet:Limits:MaxExplainTokensPerRequest", refusal.ProblemDetails.Detail);
    }

    [Fact]
    public void PredictionRequest_ItemOfTheWrongKind_ThrowsNamingTheItem()
    {
        var refused = Assert.Throws<ServeNet.Api.Errors.JsonFieldException>(() => Parse("""{"texts": ["a", false]}"""));

        Assert.Equal("$.texts", refused.Path);
        Assert.Equal("[1]", refused.Within);
        Assert.Equal("Expected a string; found a boolean.", refused.Reason);
    }
}
