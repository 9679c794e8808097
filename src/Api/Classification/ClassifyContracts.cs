using System.Text.Json.Serialization;

namespace ServeNet.Api.Classification;

/// <summary>The model that answered and one result per submitted text, in order.</summary>
/// <param name="Model">Name of the model.</param>
/// <param name="Version">Version of the model (also in the X-Model-Version header).</param>
/// <param name="Results">One result per text, in the order submitted.</param>
public sealed record ClassifyResponse(string Model, string Version, IReadOnlyList<ClassifyResult> Results);

/// <summary>The decision for one text.</summary>
/// <param name="Label">The most probable label.</param>
/// <param name="Score">Probability of that label.</param>
/// <param name="Probabilities">Probability of every label, in the model's label order (they sum to 1).</param>
/// <param name="Explanation">With <c>?explain=true</c>: every token's contribution to the decision; otherwise absent.</param>
/// <param name="Top">With <c>"parameters": {"top_k": k}</c>: the k most probable labels, most probable first (what a Hugging Face text-classification pipeline answers); otherwise absent.</param>
public sealed record ClassifyResult(string Label, float Score, IReadOnlyDictionary<string, float> Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TokenContributionDto>? Explanation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LabelScore>? Top = null);

/// <summary>A label and its probability, as Hugging Face pipelines write them.</summary>
public sealed record LabelScore(string Label, float Score);

/// <summary>
/// A token and how much it moved the decision: p(label | text) − p(label | text without this token).
/// Positive values pushed towards the predicted label. Offsets are in UTF-16 code units of the
/// submitted text unless <c>?offsets=</c> names another unit, so <c>text.Substring(start, end - start)</c>
/// (JavaScript: <c>text.slice(start, end)</c>; Python with <c>?offsets=codepoints</c>: <c>text[start:end]</c>) is the token.
/// </summary>
/// <param name="Text">The token as it appears in the submitted text.</param>
/// <param name="Start">Offset of its first character (in the offsets unit).</param>
/// <param name="End">Offset just past its last character (exclusive).</param>
/// <param name="Contribution">Change in the predicted label's probability due to this token.</param>
public sealed record TokenContributionDto(string Text, int Start, int End, float Contribution);
