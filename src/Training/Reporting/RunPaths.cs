namespace ServeNet.Training.Reporting;

/// <summary>The files a training run writes beside its checkpoint: models/x.ckpt → models/x.report.md, models/x.curves.png.</summary>
public sealed record RunPaths(string Checkpoint)
{
    private string Stem => Path.Combine(Path.GetDirectoryName(Checkpoint) ?? ".", Path.GetFileNameWithoutExtension(Checkpoint));
    public string Report => Stem + ".report.md";
    public string Curves => Stem + ".curves.png";

    /// <summary>The command that reproduces this run, as typed from the repository root.</summary>
    public static string ReproduceCommand() =>
        "dotnet run -c Release --project src/Training -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote));

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) || arg.Length == 0 ? $"\"{arg}\"" : arg;
}
