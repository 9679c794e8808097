namespace ServeNet.Api.Observability;

public enum LogFormat
{
    /// <summary>One human-readable line per event.</summary>
    Text,
    /// <summary>Compact JSON (CLEF), one object per line, for log collectors.</summary>
    Json,
}

/// <summary>Console log settings ("ServeNet:Logging"); levels are set in the "Serilog" section.</summary>
public sealed class LogOptions
{
    public const string Section = "ServeNet:Logging";

    public LogFormat Format { get; set; } = LogFormat.Text;

    /// <summary>Add the submitted texts to the request log line. Off by default: texts may be private.</summary>
    public bool IncludeText { get; set; }
}
