using System.Numerics;

namespace ServeNet.Core.Tensors;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same seed gives the same stream on every platform and
/// .NET version (unlike <see cref="Random"/>, whose algorithm is an implementation detail), so a
/// training run can be repeated bit for bit.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private float? _spareGaussian;

    public SeededRandom(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    public ulong Seed { get; }

    /// <summary>An independent stream derived from this seed and a label (per layer, per worker...).</summary>
    public SeededRandom Fork(ulong stream) => new(Seed ^ (0x9E3779B97F4A7C15UL * (stream + 1)));

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, maxExclusive), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * (uint)maxExclusive;
        uint low = (uint)product;
        if (low < (uint)maxExclusive)
        {
            uint threshold = (uint)(-maxExclusive) % (uint)maxExclusive;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * (uint)maxExclusive;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [low, high).</summary>
    public float NextFloat(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>Standard normal (Box–Muller, pairs cached).</summary>
    public float NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]: log is finite
        double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = (float)(r * Math.Sin(2 * Math.PI * u2));
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Fills with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        for (int i = 0; i < values.Length; i++) values[i] = NextFloat(low, high);
    }

    /// <summary>Fills with normal values of the given standard deviation.</summary>
    public void FillGaussian(Span<float> values, float standardDeviation)
    {
        for (int i = 0; i < values.Length; i++) values[i] = NextGaussian() * standardDeviation;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
