using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Training;
using ServeNet.Training.Commands;

namespace ServeNet.Training.Reporting;

/// <summary>
/// What a training run stores about itself (checkpoint metadata "training"), the files it writes
/// beside its checkpoint (report, learning curves) and its closing JSON line: the same for every model kind.
/// </summary>
/// <param name="HeldOutExamples">Training examples held out to select on (0: selected on dev).</param>
public sealed record TrainingRun(TrainingSettings Settings, int TrainExamples, int DevExamples, int HeldOutExamples, TrainingOutcome Outcome)
{
    public string Command { get; } = RunPaths.ReproduceCommand();
    public string Machine { get; } = MachineDescription.Current();
    /// <summary>The run's files; <see cref="TrainingSettings.Output"/> is resolved (<see cref="RunPaths.CheckpointFor"/>) before a run is recorded.</summary>
    public RunPaths Paths => new(Settings.Output ?? throw new InvalidOperationException("The run's output is resolved before the run is recorded."));

    /// <summary>
    /// Where the checkpoint goes (<see cref="RunPaths.CheckpointFor"/>) and, when that is a training run's own folder,
    /// the command that promotes it to models/; printed after the report.
    /// </summary>
    public static (TSettings Settings, string? Promote) Resolve<TSettings>(TSettings settings, IEnumerable<Core.Tensors.Parameter> weights)
        where TSettings : TrainingSettings
    {
        string version = Core.Models.WeightsDigest.Version(settings.Name, Core.Models.WeightsDigest.Compute(weights));
        var resolved = settings with { Output = RunPaths.CheckpointFor(settings, version) };
        return ((TSettings)resolved, settings.Output is null ? new RunPaths(resolved.Output!).PromoteCommand() : null);
    }

    /// <summary>The epoch whose weights were kept: the best one, or (<see cref="TrainingSettings.KeepLast"/>) the last.</summary>
    private string Mark => Settings.KeepLast ? "kept" : "best";

    /// <summary>Where the best epoch was chosen: "dev" or "held-out".</summary>
    public string SelectionSet => HeldOutExamples > 0 ? "held-out" : "dev";

    public JsonObject ToJson() => new()
    {
        ["command"] = Command,
        ["settings"] = JsonSerializer.SerializeToNode(Settings, Settings.GetType(), CheckpointJson.Options),
        ["data"] = new JsonObject
        {
            ["train"] = TrainExamples, ["dev"] = DevExamples, ["heldOut"] = HeldOutExamples, ["embeddings"] = Path.GetFileName(Settings.Embeddings),
        },
        ["selectedOn"] = SelectionSet,
        ["epochs"] = Outcome.Epochs.Count,
        ["bestEpoch"] = Outcome.BestEpoch,
        ["secondsToBestEpoch"] = Math.Round(Outcome.SecondsToBest, 2),
        ["totalSeconds"] = Math.Round(Outcome.TotalSeconds, 2),
        ["machine"] = Machine,
        ["trainedAt"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes the Markdown report (header, <paramref name="summary"/>, the model's own sections, the
    /// epoch table, the curves) and the learning-curves PNG beside the checkpoint.
    /// </summary>
    public void WriteReport(string metricName, string title, string summary, IEnumerable<(string Heading, string Markdown)> sections)
    {
        var report = new StringBuilder();
        report.AppendLine($"# Training report: {Settings.Name}");
        report.AppendLine();
        report.AppendLine($"Reproduce: `{Command}`");
        report.AppendLine();
        report.AppendLine(Settings.KeepLast
            ? string.Create(CultureInfo.InvariantCulture,
                $"Last epoch kept ({Outcome.Epochs.Count} of {Outcome.Epochs.Count}; {SelectionSet} {metricName} recorded each epoch, not used to choose), {Outcome.TotalSeconds:F1}s of training on {Machine}.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Best epoch {Outcome.BestEpoch} of {Outcome.Epochs.Count} (selected on {SelectionSet} {metricName}), reached after {Outcome.SecondsToBest:F1}s of training ({Outcome.TotalSeconds:F1}s in all) on {Machine}."));
        report.AppendLine(summary);
        foreach (var (heading, markdown) in sections.Append(("Epochs", EpochTable.Markdown(Outcome.Epochs, $"{SelectionSet} {metricName}", Outcome.BestEpoch, Mark))))
        {
            report.AppendLine();
            report.AppendLine($"## {heading}");
            report.AppendLine();
            report.Append(markdown);
        }
        report.AppendLine();
        report.AppendLine($"![learning curves]({Path.GetFileName(Paths.Curves)})");
        File.WriteAllText(Paths.Report, report.ToString());
        LearningCurves.Save(Paths.Curves, Outcome.Epochs, $"{SelectionSet} {metricName}", Outcome.BestEpoch, title, Mark);
    }

    /// <summary>The closing JSON line's common part: the model's scores, then how the run went.</summary>
    public JsonObject Summary(JsonObject scores)
    {
        scores["selectedOn"] = SelectionSet;
        scores["bestEpoch"] = Outcome.BestEpoch;
        scores["secondsToBestEpoch"] = Math.Round(Outcome.SecondsToBest, 2);
        scores["totalSeconds"] = Math.Round(Outcome.TotalSeconds, 2);
        return scores;
    }
}
