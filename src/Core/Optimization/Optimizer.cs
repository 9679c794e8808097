using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

/// <summary>
/// Updates parameters from their gradients. Dense parameters are updated whole; sparse ones
/// (embedding tables) only on the rows the batch touched ("lazy" updates: an untouched row keeps
/// its value and its moment estimates). L2 weight decay adds λ·w to the gradient before the update.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, float[][]> _state = new(ReferenceEqualityComparer.Instance);

    protected Optimizer(float learningRate, float weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>Current step size; a <see cref="LearningRateSchedule"/> may change it between epochs.</summary>
    public float LearningRate { get; set; }
    public float WeightDecay { get; }

    /// <summary>Number of <see cref="Step"/> calls so far (Adam's bias correction uses it).</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to every unfrozen parameter from its accumulated gradient.</summary>
    public void Step(IEnumerable<Parameter> parameters)
    {
        StepCount++;
        foreach (var p in parameters)
        {
            if (p.Frozen) continue;
            if (!_state.TryGetValue(p, out var state))
                _state[p] = state = Enumerable.Range(0, StateSlots).Select(_ => new float[p.Length]).ToArray();
            if (p.TouchedRows is null)
            {
                Update(p.Value, p.Grad, state, 0, p.Length);
            }
            else
            {
                foreach (int row in p.TouchedRows.Rows) Update(p.Value, p.Grad, state, row * p.Cols, p.Cols);
            }
        }
    }

    /// <summary>Arrays of per-parameter state (moments), each as long as the parameter.</summary>
    protected abstract int StateSlots { get; }

    /// <summary>Updates value[start..start+length) from grad; state holds <see cref="StateSlots"/> arrays.</summary>
    protected abstract void Update(float[] value, float[] grad, float[][] state, int start, int length);

    protected float DecayedGradient(float[] value, float[] grad, int i) => grad[i] + WeightDecay * value[i];
}
