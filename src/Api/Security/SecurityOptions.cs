using System.ComponentModel.DataAnnotations;

namespace ServeNet.Api.Security;

/// <summary>Who may call what ("ServeNet:Security"); everything off by default.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "ServeNet:Security";

    /// <summary>
    /// Keys accepted by the prediction endpoints (POST /classify, /ner, /v2/models/{name}/infer) in the header
    /// X-Api-Key or Authorization: Bearer. Several, so that keys can be rotated; none: the predictions are open.
    /// Metadata, health and metrics stay open; the admin reload has its own key (ServeNet:Models:AdminKey).
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Origins (scheme://host[:port]) whose pages may call the API from a browser, or "*" for any; none: no CORS.</summary>
    public string[] CorsOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (int i = 0; i < ApiKeys.Length; i++)
            if (string.IsNullOrWhiteSpace(ApiKeys[i]) || ApiKeys[i].Length < 16)
                yield return new ValidationResult($"ApiKeys[{i}] must have at least 16 characters (a random token); found {ApiKeys[i].Length}.", [nameof(ApiKeys)]);
        foreach (string origin in CorsOrigins)
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && origin.TrimEnd('/') == origin))
                yield return new ValidationResult($"CorsOrigins: \"{origin}\" is not an origin such as https://example.com (scheme, host, optional port, no path) or \"*\".", [nameof(CorsOrigins)]);
    }
}
