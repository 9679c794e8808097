namespace ServeNet.Training.Data;

/// <summary>A corpus or embedding file that cannot be read: names the file and line, and what was expected.</summary>
public sealed class DataFormatException(string path, long line, string message)
    : Exception(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}")
{
    public string Path { get; } = path;
    public long Line { get; } = line;
}
