namespace ServeNet.Training.Evaluation;

/// <summary>One confidence bin of a reliability diagram: examples in it, their mean confidence, and how many were right.</summary>
public sealed record CalibrationBin(double Low, double High, int Count, double MeanConfidence, double Accuracy);

/// <summary>
/// How well confidence matches accuracy: the top probability of each prediction binned into equal-width
/// bins over [0, 1]; expected calibration error ECE = Σ_b (n_b / N)·|accuracy_b − confidence_b| (Guo et
/// al. 2017 use 15 bins). 0 is perfect; a model that is always 99% sure and 85% right has ECE ≈ 0.14.
/// </summary>
public sealed class Calibration
{
    public Calibration(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, int bins = 15)
    {
        if (probabilities.Count != labels.Count) throw new ArgumentException($"{probabilities.Count} predictions for {labels.Count} labels.");
        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new int[bins];
        for (int i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            int predicted = 0;
            for (int c = 1; c < p.Length; c++) if (p[c] > p[predicted]) predicted = c;
            int b = Math.Min(bins - 1, (int)(p[predicted] * bins));
            count[b]++;
            confidence[b] += p[predicted];
            if (predicted == labels[i]) correct[b]++;
        }
        Bins = Enumerable.Range(0, bins).Select(b => new CalibrationBin(b / (double)bins, (b + 1) / (double)bins, count[b],
            count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : correct[b] / (double)count[b])).ToArray();
        int total = Math.Max(1, labels.Count);
        ExpectedCalibrationError = Bins.Sum(b => b.Count / (double)total * Math.Abs(b.Accuracy - b.MeanConfidence));
        MeanConfidence = Bins.Sum(b => b.Count * b.MeanConfidence) / total;
    }

    public IReadOnlyList<CalibrationBin> Bins { get; }
    public double ExpectedCalibrationError { get; }
    public double MeanConfidence { get; }

    /// <summary>softmax(T·log p): the probabilities before a temperature T was applied (exact up to rounding).</summary>
    public static float[] Uncalibrated(ReadOnlySpan<float> calibrated, float temperature)
    {
        var logits = new float[calibrated.Length];
        for (int c = 0; c < logits.Length; c++) logits[c] = temperature * MathF.Log(Math.Max(calibrated[c], float.Epsilon));
        // Shifted by the largest logit: TensorPrimitives.SoftMax does not, and a large T (β = 1/T up to 10³
        // on a separable selection set) would underflow every exp to 0 and give 0/0.
        System.Numerics.Tensors.TensorPrimitives.Subtract(logits, System.Numerics.Tensors.TensorPrimitives.Max<float>(logits), logits);
        var p = new float[logits.Length];
        System.Numerics.Tensors.TensorPrimitives.SoftMax(logits, p);
        return p;
    }
}
