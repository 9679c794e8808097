using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Tests.Predictions;

/// <summary>The shared request's reading and rules, without a host.</summary>
public sealed class TextBatchTests
{
    private static readonly LimitsOptions Limits = new() { MaxBatchSize = 3, MaxTextLength = 10 };

    private static PredictionRequest? Parse(string json) => JsonSerializer.Deserialize<PredictionRequest>(json, JsonSerializerOptions.Web);

    [Fact]
    public void TextBatch_ValidBatch_ReturnsTheTextsInOrder()
    {
        bool read = TextBatch.TryRead(Parse("""{"texts": ["a", "b"]}"""), Limits, out var texts, out var refusal);

        Assert.True(read);
        Assert.Null(refusal);
        Assert.Equal(["a", "b"], texts);
    }

    [Fact]
    public void TextBatch_BatchOverTheLimitWithBlankItems_Returns413BeforeNamingItems()
    {
        TextBatch.TryRead(Parse("""{"texts": ["", " ", "", ""]}"""), Limits, out _, out var refusal);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal!.StatusCode);
        Assert.Equal(["texts"], Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails).Errors.Keys);
    }

    [Fact]
    public void TextBatch_UnknownFields_AreEachNamedWithTheMissingField()
    {
        TextBatch.TryRead(Parse("""{"txt": "a", "Colour": 1}"""), Limits, out _, out var refusal);

        Assert.Equal(StatusCodes.Status400BadRequest, refusal!.StatusCode);
        Assert.Equal(["Colour", "text", "txt"], Assert.IsType<HttpValidationProblemDetails>(refusal.ProblemDetails).Errors.Keys.Order(StringComparer.Ordinal));
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
