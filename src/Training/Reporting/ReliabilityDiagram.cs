using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Reporting;

/// <summary>
/// Reliability diagram (PNG via ScottPlot): accuracy against mean confidence per confidence bin, before
/// and after temperature scaling, with the diagonal a perfectly calibrated model would follow.
/// </summary>
public static class ReliabilityDiagram
{
    public static void Save(string path, Calibration before, Calibration after, float temperature, string title)
    {
        var plot = new ScottPlot.Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = ScottPlot.LinePattern.Dashed;
        diagonal.Color = ScottPlot.Colors.Gray;
        diagonal.LegendText = "perfect calibration";
        Add(plot, before, $"T = 1 (ECE {before.ExpectedCalibrationError:F3})", ScottPlot.Colors.OrangeRed);
        Add(plot, after, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"T = {temperature:F2} (ECE {after.ExpectedCalibrationError:F3})"), ScottPlot.Colors.SteelBlue);
        plot.Axes.Bottom.Label.Text = "confidence (top probability, bin mean)";
        plot.Axes.Left.Label.Text = "accuracy in bin";
        plot.Axes.SetLimits(0.45, 1.0, 0.3, 1.02);
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 700, 600);
    }

    private static void Add(ScottPlot.Plot plot, Calibration calibration, string label, ScottPlot.Color color)
    {
        var bins = calibration.Bins.Where(b => b.Count > 0).ToArray();
        var points = plot.Add.Scatter(bins.Select(b => b.MeanConfidence).ToArray(), bins.Select(b => b.Accuracy).ToArray());
        points.LegendText = label;
        points.Color = color;
        points.MarkerSize = 8;
    }
}
