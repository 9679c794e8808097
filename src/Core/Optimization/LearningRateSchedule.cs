namespace ServeNet.Core.Optimization;

/// <summary>The learning rate for an epoch (0-based), set on the optimizer before the epoch runs.</summary>
public abstract record LearningRateSchedule(float Initial)
{
    public abstract float Rate(int epoch);

    /// <summary>η for every epoch.</summary>
    public sealed record Constant(float Initial) : LearningRateSchedule(Initial)
    {
        public override float Rate(int epoch) => Initial;
    }

    /// <summary>η·factor^⌊epoch / every⌋.</summary>
    public sealed record Step(float Initial, float Factor, int Every) : LearningRateSchedule(Initial)
    {
        public override float Rate(int epoch) => Initial * MathF.Pow(Factor, epoch / Math.Max(1, Every));
    }

    /// <summary>η·γ^epoch.</summary>
    public sealed record Exponential(float Initial, float Gamma) : LearningRateSchedule(Initial)
    {
        public override float Rate(int epoch) => Initial * MathF.Pow(Gamma, epoch);
    }

    /// <summary>Parses "constant", "step:0.5:2" (factor, every n epochs) or "exp:0.9".</summary>
    public static LearningRateSchedule Parse(string text, float initial)
    {
        var parts = text.Split(':');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return parts[0].ToLowerInvariant() switch
        {
            "constant" when parts.Length == 1 => new Constant(initial),
            "step" when parts.Length == 3 => new Step(initial, float.Parse(parts[1], inv), int.Parse(parts[2], inv)),
            "exp" when parts.Length == 2 => new Exponential(initial, float.Parse(parts[1], inv)),
            _ => throw new FormatException($"Learning-rate schedule '{text}' is not one of: constant, step:<factor>:<every>, exp:<gamma>."),
        };
    }
}
