using System.Globalization;
using System.Text;
using ServeNet.Core.Training;

namespace ServeNet.Training.Reporting;

public static class EpochTable
{
    /// <param name="metricName">The selection metric, with its set (e.g. "dev F1").</param>
    /// <param name="mark">What the marked epoch is: "best" (selected), or "kept" (the last, when nothing was selected).</param>
    public static string Markdown(IReadOnlyList<EpochRecord> epochs, string metricName, int bestEpoch, string mark = "best")
    {
        var s = new StringBuilder();
        s.AppendLine($"| epoch | learning rate | train loss | {metricName} | seconds |");
        s.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var e in epochs)
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {e.Epoch}{(e.Epoch == bestEpoch ? $" ({mark})" : "")} | {e.LearningRate:G3} | {e.TrainLoss:F4} | {e.Metric * 100:F2} | {e.Seconds:F2} |"));
        return s.ToString();
    }
}
