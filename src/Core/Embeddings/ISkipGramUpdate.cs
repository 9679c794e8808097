namespace ServeNet.Core.Embeddings;

/// <summary>
/// One skip-gram step with negative sampling (Mikolov et al. 2013) for the input vector h of a
/// context word, against the observed word t₀ (label 1) and k sampled noise words t₁..t_k (label 0):
/// <code>
///   for each target t:  s = h·O[t];  g = η·(label − σ(s));  e += g·O[t];  O[t] += g·h
///   then                h += e
///   loss = −log σ(s₀) − Σ_{k≥1} log σ(−s_k)
/// </code>
/// h: [dim], a row of the input table (the word vectors kept); O: [vocab, dim] output table.
/// Implementations are structs so the generic trainer is specialised per variant; every variant
/// is tested against <see cref="ReferenceSkipGramUpdate"/>.
/// </summary>
internal interface ISkipGramUpdate
{
    static abstract string Name { get; }

    /// <summary>Applies the step; e: [dim] scratch. Returns the loss of this (h, targets) pair before the update.</summary>
    static abstract float Apply(Span<float> input, float[] output, ReadOnlySpan<int> targets, float rate, Span<float> e);
}
