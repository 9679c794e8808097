using System.Globalization;
using System.Text;
using ServeNet.Training.Evaluation;
using Spectre.Console;

namespace ServeNet.Training.Reporting;

/// <summary>Renders CoNLL scores as a console table and as Markdown.</summary>
public static class NerReport
{
    public static void Print(ConllScore score, string title)
    {
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(title)}[/]: F1 [bold]{score.F1 * 100:F2}[/]  precision {score.Precision * 100:F2}  recall {score.Recall * 100:F2}  token accuracy {score.Accuracy * 100:F2}"));
        var table = new Table().AddColumn("type").AddColumn("precision", c => c.RightAligned()).AddColumn("recall", c => c.RightAligned())
            .AddColumn("F1", c => c.RightAligned()).AddColumn("gold", c => c.RightAligned()).AddColumn("found", c => c.RightAligned());
        foreach (var (type, counts) in score.ByType)
        {
            var (p, r, f) = score.For(type);
            table.AddRow(type, F(p), F(r), F(f), counts.Gold.ToString(CultureInfo.InvariantCulture), counts.Guessed.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }

    public static string Markdown(ConllScore score)
    {
        var s = new StringBuilder();
        s.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"F1 **{score.F1 * 100:F2}**, precision {score.Precision * 100:F2}, recall {score.Recall * 100:F2}, token accuracy {score.Accuracy * 100:F2} ({score.Tokens:N0} tokens, {score.GoldEntities:N0} entities)."));
        s.AppendLine();
        s.AppendLine("| type | precision | recall | F1 | gold | found |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (type, counts) in score.ByType)
        {
            var (p, r, f) = score.For(type);
            s.AppendLine($"| {type} | {F(p)} | {F(r)} | {F(f)} | {counts.Gold} | {counts.Guessed} |");
        }
        return s.ToString();
    }

    private static string F(double value) => (value * 100).ToString("F2", CultureInfo.InvariantCulture);
}
