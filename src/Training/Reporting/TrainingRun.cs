using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;

namespace ServeNet.Training.Reporting;

/// <summary>
/// What a training run stores about itself (checkpoint metadata "training") and the header of its
/// Markdown report: the same for every model kind.
/// </summary>
public sealed record TrainingRun(object Settings, int TrainExamples, int DevExamples, string Embeddings,
    IReadOnlyList<EpochRecord> Epochs, int BestEpoch, double SecondsToBest, double TotalSeconds)
{
    public string Command { get; } = RunPaths.ReproduceCommand();
    public string Machine { get; } = MachineDescription.Current();

    public JsonObject ToJson() => new()
    {
        ["command"] = Command,
        ["settings"] = JsonSerializer.SerializeToNode(Settings, Settings.GetType(), CheckpointJson.Options),
        ["data"] = new JsonObject { ["train"] = TrainExamples, ["dev"] = DevExamples, ["embeddings"] = Path.GetFileName(Embeddings) },
        ["epochs"] = Epochs.Count,
        ["bestEpoch"] = BestEpoch,
        ["secondsToBestEpoch"] = Math.Round(SecondsToBest, 2),
        ["totalSeconds"] = Math.Round(TotalSeconds, 2),
        ["machine"] = Machine,
        ["trainedAt"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    /// <summary>Title, reproduce command and timing lines of the report.</summary>
    public StringBuilder ReportHeader(string name)
    {
        var report = new StringBuilder();
        report.AppendLine($"# Training report: {name}");
        report.AppendLine();
        report.AppendLine($"Reproduce: `{Command}`");
        report.AppendLine();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Best epoch {BestEpoch} of {Epochs.Count}, reached after {SecondsToBest:F1}s of training ({TotalSeconds:F1}s in all) on {Machine}."));
        return report;
    }
}
