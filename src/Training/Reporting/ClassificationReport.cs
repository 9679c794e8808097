using System.Globalization;
using System.Text;
using ServeNet.Training.Evaluation;
using Spectre.Console;

namespace ServeNet.Training.Reporting;

/// <summary>Renders classification metrics as a console table and as Markdown.</summary>
public static class ClassificationReport
{
    public static void Print(ClassificationMetrics m, string title)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(title)}[/]: accuracy [bold]{Pct(m.Accuracy)}[/] ({m.Correct}/{m.Examples})");
        var table = new Table().AddColumn("gold \\ predicted");
        foreach (var label in m.Labels) table.AddColumn(label, c => c.RightAligned());
        foreach (var column in new[] { "precision", "recall", "F1" }) table.AddColumn(column, c => c.RightAligned());
        for (int g = 0; g < m.Labels.Count; g++)
        {
            var cells = new List<string> { m.Labels[g] };
            for (int p = 0; p < m.Labels.Count; p++) cells.Add(m.Confusion[g, p].ToString(CultureInfo.InvariantCulture));
            cells.AddRange([Pct(m.Precision(g)), Pct(m.Recall(g)), Pct(m.F1(g))]);
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }

    public static string Markdown(ClassificationMetrics m)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Accuracy **{Pct(m.Accuracy)}** ({m.Correct} of {m.Examples}).");
        s.AppendLine();
        s.AppendLine("| gold \\ predicted | " + string.Join(" | ", m.Labels) + " | precision | recall | F1 |");
        s.AppendLine("|---|" + string.Concat(m.Labels.Select(_ => "---:|")) + "---:|---:|---:|");
        for (int g = 0; g < m.Labels.Count; g++)
        {
            var counts = Enumerable.Range(0, m.Labels.Count).Select(p => m.Confusion[g, p].ToString(CultureInfo.InvariantCulture));
            s.AppendLine($"| {m.Labels[g]} | {string.Join(" | ", counts)} | {Pct(m.Precision(g))} | {Pct(m.Recall(g))} | {Pct(m.F1(g))} |");
        }
        return s.ToString();
    }

    public static string Pct(double value) => (value * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
