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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host is not ("localhost" or "*") && !IPAddress.TryParse(Host, out _))
            yield return new ValidationResult($"Host must be \"localhost\", \"*\" or an IP address; found \"{Host}\".", [nameof(Host)]);
    }
}
