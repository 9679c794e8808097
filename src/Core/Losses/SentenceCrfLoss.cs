using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Losses;

// loss = (1/S) Σ_s [log Σ_{valid y} exp score_s(y) − score_s(gold_s)]     S sentences per batch
// Sentence-level likelihood (see LinearChainCrf) with learned transitions T [L, L] and start
// scores [L]; the logits are the emissions. Each sentence's gradient is scaled by 1/S.
public sealed class SentenceCrfLoss : ITrainingLoss
{
    public const string TransitionsName = "crf.transitions";
    public const string StartName = "crf.start";

    private readonly bool[] _allowed;

    /// <param name="allowed">[L+1, L]: row 0 the sentence start, row i+1 the transitions out of label i.</param>
    public SentenceCrfLoss(int labels, bool[] allowed)
    {
        if (allowed.Length != (labels + 1) * labels)
            throw new ArgumentException($"The allowed mask has {allowed.Length} entries; {labels} labels need {(labels + 1) * labels}.", nameof(allowed));
        _allowed = allowed;
        Transitions = new Parameter(TransitionsName, labels, labels);
        Start = new Parameter(StartName, 1, labels);
        Parameters = [Transitions, Start];
    }

    public Parameter Transitions { get; }
    public Parameter Start { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public double ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> segments,
        int rows, int classes, Span<float> dLogits)
    {
        int sentences = segments.Length - 1;
        if (sentences < 1 || segments[0] != 0 || segments[^1] != rows)
            throw new ArgumentException($"Sentence offsets must run from 0 to the {rows} rows of the batch.", nameof(segments));
        double loss = 0;
        for (int s = 0; s < sentences; s++)
        {
            int first = segments[s], n = segments[s + 1] - first;
            loss += LinearChainCrf.ForwardBackward(logits.Slice(first * classes, n * classes), labels.Slice(first, n), n, classes,
                Transitions.Value, Start.Value, _allowed, dLogits.Slice(first * classes, n * classes), Transitions.Grad, Start.Grad);
        }
        float scale = 1f / sentences;
        TensorPrimitives.Multiply(dLogits[..(rows * classes)], scale, dLogits[..(rows * classes)]);
        TensorPrimitives.Multiply(Transitions.Grad, scale, Transitions.Grad);
        TensorPrimitives.Multiply(Start.Grad, scale, Start.Grad);
        return loss / sentences;
    }
}
