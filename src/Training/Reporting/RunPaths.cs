using ServeNet.Training.Commands;

namespace ServeNet.Training.Reporting;

/// <summary>The files a training run writes beside its checkpoint: runs/x-v/x.ckpt → runs/x-v/x.report.md, runs/x-v/x.curves.png.</summary>
public sealed record RunPaths(string Checkpoint)
{
    /// <summary>
    /// The checkpoint a run writes: the explicit --output, or &lt;runs&gt;/&lt;version&gt;/&lt;name&gt;.ckpt, where the version
    /// ("sentiment-0dfff5eebda4": the model's name and a digest of its weights) is the one the API will report.
    /// </summary>
    public static string CheckpointFor(TrainingSettings settings, string version) =>
        settings.Output ?? Path.Combine(settings.Runs, version, settings.Name + ".ckpt");

    /// <summary>
    /// The command that puts this run's checkpoint, report and figures (curves, and the sentiment model's reliability
    /// diagram: every x.*.png) into <paramref name="models"/>: the checkpoint is copied beside its target and renamed
    /// over it, so that a running API, which watches the folder, never reads a half-copied file.
    /// </summary>
    public string PromoteCommand(string models = "models")
    {
        string name = Path.GetFileName(Checkpoint), target = Path.Combine(models, name);
        return $"cp {Quote(Report)} {Quote(Stem)}.*.png {Quote(models)}/ && cp {Quote(Checkpoint)} {Quote(target)}.tmp && mv {Quote(target)}.tmp {Quote(target)}";
    }

    private string Stem => Path.Combine(Path.GetDirectoryName(Checkpoint) ?? ".", Path.GetFileNameWithoutExtension(Checkpoint));
    public string Report => Stem + ".report.md";
    public string Curves => Stem + ".curves.png";

    /// <summary>The command that reproduces this run, as typed from the repository root.</summary>
    public static string ReproduceCommand() =>
        "dotnet run -c Release --project src/Training -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote));

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) || arg.Length == 0 ? $"\"{arg}\"" : arg;
}
