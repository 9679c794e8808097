using Microsoft.Extensions.Options;
using Serilog;
using ServeNet.Api.Hosting;

namespace ServeNet.Api.Observability;

/// <summary>
/// Records what every prediction answered: the X-Model-Version header on its response, the model version and text
/// count in its one request log line (Serilog's diagnostic context; the texts themselves only when
/// LogOptions.IncludeText is on), and, for a large batch, that its answer is worth compressing.
/// </summary>
public sealed class PredictionLog(IDiagnosticContext diagnostics, IOptions<LogOptions> options, IOptions<CompressionOptions> compression)
{
    public const string VersionHeader = "X-Model-Version";

    private readonly bool _includeText = options.Value.IncludeText;
    private readonly CompressionOptions _compression = compression.Value;

    public void Answered(HttpResponse response, string version, IReadOnlyList<string> texts)
    {
        response.Headers[VersionHeader] = version;
        diagnostics.Set("ModelVersion", version);
        diagnostics.Set("TextCount", texts.Count);
        if (_includeText) diagnostics.Set("Texts", texts);
        Compression.MarkLargeBatch(response.HttpContext, texts.Count, _compression);
    }
}
