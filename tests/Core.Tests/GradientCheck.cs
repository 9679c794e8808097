using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests;

/// <summary>
/// Central-difference gradient checking: the loss is recomputed in float64 for w ± h and compared
/// with the analytic gradient by relative error |a - n| / max(|a| + |n|, floor).
/// </summary>
internal static class GradientCheck
{
    public const double Step = 1e-2;
    public const double Tolerance = 2e-2;

    /// <summary>Largest relative error over (a seeded sample of) the entries of <paramref name="values"/>.</summary>
    public static double MaxRelativeError(Func<double> loss, float[] values, ReadOnlySpan<float> analytic, string what,
        int maxEntries = 60, ulong seed = 1, double step = Step)
    {
        var random = new SeededRandom(seed);
        int count = Math.Min(values.Length, maxEntries);
        double worst = 0;
        for (int n = 0; n < count; n++)
        {
            int i = values.Length <= maxEntries ? n : random.NextInt(values.Length);
            float original = values[i];
            values[i] = (float)(original + step);
            double plus = loss();
            values[i] = (float)(original - step);
            double minus = loss();
            values[i] = original;
            double numeric = (plus - minus) / (2 * step);
            double error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Abs(analytic[i]) + Math.Abs(numeric), 1e-2);
            if (error > Tolerance)
                Assert.Fail($"{what}[{i}]: analytic {analytic[i]:G6}, numeric {numeric:G6}, relative error {error:G3}");
            worst = Math.Max(worst, error);
        }
        return worst;
    }

    public static float[] RandomArray(int length, SeededRandom random, float low = -1f, float high = 1f)
    {
        var a = new float[length];
        random.FillUniform(a, low, high);
        return a;
    }
}
