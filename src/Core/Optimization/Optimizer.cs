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

    /// <summary>The step size for the parameter being updated: <see cref="LearningRate"/> × its scale.</summary>
    protected float Rate { get; private set; }

    /// <summary>Number of <see cref="Step"/> calls so far (Adam's bias correction uses it).</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to every unfrozen parameter from its accumulated gradient.</summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        StepCount++;
        for (int n = 0; n < parameters.Count; n++)
        {
            var p = parameters[n];
            if (p.Frozen) continue;
            if (!_state.TryGetValue(p, out var state)) _state[p] = state = CreateState(p.Length);
            Rate = LearningRate * p.LearningRateScale;
            if (p.TouchedRows is null)
            {
                Update(p.Value, p.Grad, state, 0, p.Length);
            }
            else
            {
                var rows = p.TouchedRows.Rows;
                for (int r = 0; r < rows.Count; r++) Update(p.Value, p.Grad, state, rows[r] * p.Cols, p.Cols);
            }
        }
    }

    // Not a lambda in Step: capturing the loop variable would allocate a closure per parameter per step.
    private float[][] CreateState(int length)
    {
        var state = new float[StateSlots][];
        for (int i = 0; i < state.Length; i++) state[i] = new float[length];
        return state;
    }

    /// <summary>Arrays of per-parameter state (moments), each as long as the parameter.</summary>
    protected abstract int StateSlots { get; }

    /// <summary>Updates value[start..start+length) from grad; state holds <see cref="StateSlots"/> arrays.</summary>
    protected abstract void Update(float[] value, float[] grad, float[][] state, int start, int length);

    protected float DecayedGradient(float[] value, float[] grad, int i) => grad[i] + WeightDecay * value[i];

    /// <summary>"adam", "adagrad" or "sgd" (momentum 0.9), by name, for command lines.</summary>
    public static Optimizer Create(string name, float learningRate, float weightDecay) => name.ToLowerInvariant() switch
    {
        "adam" => new Adam(learningRate, weightDecay: weightDecay),
        "adagrad" => new Adagrad(learningRate, weightDecay: weightDecay),
        "sgd" => new Sgd(learningRate, momentum: 0.9f, weightDecay: weightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{name}': expected adam, adagrad or sgd."),
    };
}
