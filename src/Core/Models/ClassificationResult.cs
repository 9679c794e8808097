using ServeNet.Core.Text;

namespace ServeNet.Core.Models;

/// <summary>A text's predicted label, the probability of every label (in label order) and its tokens.</summary>
public sealed record ClassificationResult(int LabelIndex, string Label, float[] Probabilities, IReadOnlyList<TextToken> Tokens);

/// <summary>How much one token moved the decision: p(label) with it minus p(label) without it.</summary>
public readonly record struct TokenContribution(TextToken Token, float Contribution);
