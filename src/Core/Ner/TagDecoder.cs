using ServeNet.Core.Layers;
using ServeNet.Core.Losses;

namespace ServeNet.Core.Ner;

/// <summary>
/// Label scores [n, L] of a sentence → the best valid BIO path and per-token tag probabilities.
/// With learned transitions (sentence-level likelihood): Viterbi over emissions + transitions, and
/// CRF marginals as probabilities. Without: softmax per token, Viterbi over log-probabilities
/// restricted to valid transitions. Never yields an invalid BIO sequence. Thread-safe.
/// </summary>
public sealed class TagDecoder
{
    private readonly double[]? _expTransitions, _expStart;

    /// <param name="transitions">[L, L] learned transition scores, or null for a softmax tagger.</param>
    /// <param name="start">[L] learned start scores; given exactly when transitions are.</param>
    public TagDecoder(BioLabels labels, float[]? transitions, float[]? start)
    {
        if ((transitions is null) != (start is null)) throw new ArgumentException("Transition and start scores come together.");
        if (transitions is not null && (transitions.Length != labels.Count * labels.Count || start!.Length != labels.Count))
            throw new ArgumentException($"{labels.Count} labels need [{labels.Count}, {labels.Count}] transitions and [{labels.Count}] start scores.");
        Labels = labels;
        Transitions = transitions;
        Start = start;
        if (transitions is not null)
            (_expTransitions, _expStart) = LinearChainCrf.Exponentiate(labels.Count, transitions, start!, labels.AllowedMask());
    }

    public BioLabels Labels { get; }
    public float[]? Transitions { get; }
    public float[]? Start { get; }
    public bool UsesCrf => Transitions is not null;

    /// <summary>Best valid label path; fills <paramref name="probabilities"/> [n, L] with per-token tag probabilities.</summary>
    public int[] Decode(ReadOnlySpan<float> scores, int n, Span<float> probabilities)
    {
        if (n == 0) return [];
        int labels = Labels.Count;
        if (UsesCrf)
        {
            LinearChainCrf.Marginals(scores, n, labels, _expTransitions, _expStart, probabilities);
            return BioDecoder.Viterbi(scores, n, Labels, Transitions, Start);
        }
        Softmax.Rows(scores, n, labels, probabilities);
        var logProbabilities = new float[n * labels];
        for (int k = 0; k < logProbabilities.Length; k++) logProbabilities[k] = MathF.Log(Math.Max(probabilities[k], 1e-30f));
        return BioDecoder.Viterbi(logProbabilities, n, Labels);
    }

    /// <summary>
    /// The decoder of an ensemble whose emissions are averaged: mean transition and start scores
    /// (a product of experts in log space). All decoders must be CRF or all softmax.
    /// </summary>
    public static TagDecoder Average(IReadOnlyList<TagDecoder> decoders)
    {
        var first = decoders[0];
        if (decoders.Any(d => d.UsesCrf != first.UsesCrf))
            throw new ArgumentException("An ensemble must be all CRF taggers or all softmax taggers.");
        if (!first.UsesCrf) return first;
        int labels = first.Labels.Count;
        var transitions = new float[labels * labels];
        var start = new float[labels];
        foreach (var decoder in decoders)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(transitions, decoder.Transitions!, transitions);
            System.Numerics.Tensors.TensorPrimitives.Add(start, decoder.Start!, start);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(transitions, 1f / decoders.Count, transitions);
        System.Numerics.Tensors.TensorPrimitives.Multiply(start, 1f / decoders.Count, start);
        return new TagDecoder(first.Labels, transitions, start);
    }
}
