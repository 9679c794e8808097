namespace ServeNet.Core.Checkpoints;

/// <summary>A checkpoint that cannot be read: names the file, the field, what was expected and what was found.</summary>
public sealed class CheckpointException(string path, string field, string expected, string actual, string? hint = null)
    : Exception($"Checkpoint '{path}': {field}: expected {expected}, found {actual}." + (hint is null ? "" : $" {hint}"))
{
    public string Path { get; } = path;
    public string Field { get; } = field;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
