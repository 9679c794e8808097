using ServeNet.Core.Tensors;
using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Tests.Evaluation;

public class CalibrationTests
{
    [Theory]
    [InlineData(0.5f)]
    [InlineData(1f)]
    [InlineData(3f)]
    public void Fit_LabelsDrawnFromSoftmaxOverT_RecoversT(float temperature)
    {
        var random = new SeededRandom(4);
        const int n = 20_000;
        var logits = new float[n * 2];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            logits[2 * i] = random.NextGaussian() * 3;
            logits[2 * i + 1] = random.NextGaussian() * 3;
            double p1 = 1 / (1 + Math.Exp(-(logits[2 * i + 1] - logits[2 * i]) / temperature));
            labels[i] = random.NextFloat() < p1 ? 1 : 0;
        }
        Assert.Equal(temperature, TemperatureScaling.Fit(logits, labels, 2), temperature * 0.06f);
    }

    [Fact]
    public void Fit_IsTheMinimumOfTheNll()
    {
        float[] logits = [4, -4, 3, -2, -5, 6, 1, 0, 0, 2, 8, 1];
        int[] labels = [0, 1, 1, 0, 1, 1];
        float t = TemperatureScaling.Fit(logits, labels, 2);
        double Nll(double temperature) => TemperatureScaling.Nll(logits, labels, 2, 1 / temperature, out _, out _);
        Assert.True(Nll(t) <= Nll(t * 1.05) && Nll(t) <= Nll(t / 1.05), $"T = {t}");
    }

    [Fact]
    public void Ece_KnownBins_IsTheWeightedGap()
    {
        // Four predictions at 0.9 confidence, three right; two at 0.6, both right.
        float[][] p = [[0.1f, 0.9f], [0.1f, 0.9f], [0.9f, 0.1f], [0.1f, 0.9f], [0.4f, 0.6f], [0.6f, 0.4f]];
        int[] labels = [1, 1, 0, 0, 1, 0];
        var calibration = new Calibration(p, labels, bins: 10);
        Assert.Equal(4 / 6.0 * Math.Abs(0.75 - 0.9) + 2 / 6.0 * Math.Abs(1.0 - 0.6), calibration.ExpectedCalibrationError, 5);
        Assert.Equal(4, calibration.Bins[9].Count);
    }

    [Fact]
    public void Uncalibrated_UndoesTheTemperature()
    {
        float[] z = [1.5f, -0.5f];
        float t = 2f;
        var calibrated = new float[2];
        System.Numerics.Tensors.TensorPrimitives.SoftMax([z[0] / t, z[1] / t], calibrated);
        var raw = new float[2];
        System.Numerics.Tensors.TensorPrimitives.SoftMax(z, raw);
        var back = Calibration.Uncalibrated(calibrated, t);
        Assert.Equal(raw[0], back[0], 5);
    }

    [Fact]
    public void Uncalibrated_SharpeningByAThousand_StaysAProbability()
    {
        // β = 1/T = 1000 (the fit's bound on a separable selection set): every exp underflows unless shifted.
        var back = Calibration.Uncalibrated([0.1f, 0.9f], 1000f);
        Assert.All(back, v => Assert.True(float.IsFinite(v), $"{v}"));
        Assert.Equal(1f, back[1], 5);
        Assert.Equal(0f, back[0], 5);
    }
}
