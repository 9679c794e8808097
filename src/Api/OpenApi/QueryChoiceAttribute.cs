namespace ServeNet.Api.OpenApi;

/// <summary>
/// Marks a query parameter bound as text and parsed by its handler (a bad value is a 400 naming the
/// parameter); the OpenAPI document shows it as a string with these values, the first the default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueryChoiceAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
