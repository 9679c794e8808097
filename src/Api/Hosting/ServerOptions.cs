using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ServeNet.Api.Hosting;

/// <summary>
/// Where Kestrel listens ("ServeNet:Server") unless URLs are given the ASP.NET Core way
/// (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS), which take precedence.
/// </summary>
public sealed class ServerOptions : IValidatableObject
{
    public const string Section = "ServeNet:Server";

    /// <summary>"localhost", "*" (every interface, e.g. in a container) or an IP address.</summary>
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 5000;

    /// <summary>Open connections Kestrel accepts at once; more are closed at once. 0: no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnections { get; set; } = 1_000;

    /// <summary>
    /// Characters of the request target (path and query); beyond, 414 problem details. Kestrel itself
    /// refuses request lines over twice this, without a body (see <see cref="RequestHeadLimits"/>).
    /// </summary>
    [Range(256, 1_000_000)]
    public int MaxRequestTargetLength { get; set; } = 8_192;

    /// <summary>Bytes of request headers (names and values); beyond, 431 problem details. Kestrel itself refuses twice this.</summary>
    [Range(1_024, 10_000_000)]
    public int MaxRequestHeadersBytes { get; set; } = 32_768;

    /// <summary>Request header lines; beyond, 431 problem details. Kestrel itself refuses twice this.</summary>
    [Range(1, 10_000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host is not ("localhost" or "*") && !IPAddress.TryParse(Host, out _))
            yield return new ValidationResult($"Host must be \"localhost\", \"*\" or an IP address; found \"{Host}\".", [nameof(Host)]);
    }
}
