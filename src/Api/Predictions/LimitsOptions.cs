using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Predictions;

/// <summary>
/// The cost a prediction request may have ("ServeNet:Limits"); beyond a limit it is refused with 413
/// naming the limit. Tokens are counted as the API's tokenizer splits a text (the tokens /ner answers);
/// the time and memory of a prediction grow with them, not with characters (a 100,000-character text
/// of commas is 100,000 tokens).
/// </summary>
public sealed class LimitsOptions : IValidatableObject
{
    public const string Section = "ServeNet:Limits";

    /// <summary>Characters (UTF-16 code units) per text.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>Texts per request.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Bytes of request body.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;

    /// <summary>Tokens per text.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTokensPerText { get; set; } = 5_000;

    /// <summary>Tokens per request, all texts together.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTokensPerRequest { get; set; } = 20_000;

    /// <summary>
    /// Tokens per request with ?explain=true: each token of an explained text costs a pass through
    /// the network's layers, ~40 times a classified one (docs/api.md).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxExplainTokensPerRequest { get; set; } = 2_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxExplainTokensPerRequest > MaxTokensPerRequest)
            yield return new ValidationResult(
                $"MaxExplainTokensPerRequest ({MaxExplainTokensPerRequest}) must not be above MaxTokensPerRequest ({MaxTokensPerRequest}).",
                [nameof(MaxExplainTokensPerRequest)]);
    }
}
