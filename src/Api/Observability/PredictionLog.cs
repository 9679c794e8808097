using Microsoft.Extensions.Options;
using Serilog;

namespace ServeNet.Api.Observability;

/// <summary>
/// Adds a prediction's facts to its one request log line (Serilog's diagnostic context) and the
/// X-Model-Version header to its response. The texts themselves only when LogOptions.IncludeText is on.
/// </summary>
public sealed class PredictionLog(IDiagnosticContext diagnostics, IOptions<LogOptions> options)
{
    public const string VersionHeader = "X-Model-Version";

    private readonly bool _includeText = options.Value.IncludeText;

    public void Answered(HttpResponse response, string version, IReadOnlyList<string> texts)
    {
        response.Headers[VersionHeader] = version;
        diagnostics.Set("ModelVersion", version);
        diagnostics.Set("TextCount", texts.Count);
        if (_includeText) diagnostics.Set("Texts", texts);
    }
}
