using ServeNet.Core.Training;

namespace ServeNet.Training.Reporting;

/// <summary>Plots training loss and the selection metric per epoch (PNG via ScottPlot), marking the best epoch.</summary>
public static class LearningCurves
{
    public static void Save(string path, IReadOnlyList<EpochRecord> epochs, string metricName, int bestEpoch, string title, string mark = "best")
    {
        var plot = new ScottPlot.Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        var loss = plot.Add.Scatter(x, epochs.Select(e => e.TrainLoss).ToArray());
        loss.LegendText = "train loss";
        var metric = plot.Add.Scatter(x, epochs.Select(e => e.Metric).ToArray());
        metric.LegendText = metricName;
        metric.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = metricName;
        plot.Axes.Left.Label.Text = "train loss";
        plot.Axes.Bottom.Label.Text = "epoch";
        var best = plot.Add.VerticalLine(bestEpoch);
        best.LegendText = $"{mark} epoch ({bestEpoch})";
        best.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 800, 450);
    }
}
