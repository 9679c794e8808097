using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

/// <summary>
/// Polyak/exponential averaging of weights: ā ← β·ā + (1−β)·w after each step. Evaluating with the
/// averaged weights smooths out the noise of the last mini-batches (often a free accuracy gain).
/// <see cref="Swap"/> exchanges live and averaged values, so evaluation needs no extra copy.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[][] _average;
    private int _updates;

    public ExponentialMovingAverage(IReadOnlyList<Parameter> parameters, float decay)
    {
        if (decay is <= 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(decay), decay, "Decay must be in (0, 1).");
        _parameters = parameters;
        Decay = decay;
        _average = parameters.Select(p => (float[])p.Value.Clone()).ToArray();
    }

    public float Decay { get; }

    public void Update()
    {
        // Warm-up (as in TensorFlow): early averages would otherwise remember the random init.
        _updates++;
        float decay = Math.Min(Decay, (1f + _updates) / (10f + _updates));
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (_parameters[i].Frozen) continue;
            TensorPrimitives.Lerp(_average[i], _parameters[i].Value, 1f - decay, _average[i]);
        }
    }

    /// <summary>Exchanges the live weights with the averaged ones (call twice to restore).</summary>
    public void Swap()
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            var live = _parameters[i].Value;
            var average = _average[i];
            for (int k = 0; k < live.Length; k++) (live[k], average[k]) = (average[k], live[k]);
        }
    }
}
