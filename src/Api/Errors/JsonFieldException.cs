using System.Text.Json;

namespace ServeNet.Api.Errors;

/// <summary>
/// A JSON value a request's converter refused, with a reason written for clients (what was expected,
/// what was found). System.Text.Json sets <see cref="JsonException.Path"/> to the property being read;
/// <see cref="Within"/> locates the value inside it ("[1]" for an array's second item).
/// </summary>
public sealed class JsonFieldException(string reason, string within = "") : JsonException(reason)
{
    public string Reason { get; } = reason;

    public string Within { get; } = within;
}
