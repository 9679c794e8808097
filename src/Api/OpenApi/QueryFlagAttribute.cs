namespace ServeNet.Api.OpenApi;

/// <summary>
/// Marks a boolean query parameter bound as text and parsed by its handler, so that a bad value is a
/// 400 naming the parameter like any other field; the OpenAPI document shows it as the boolean it is.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueryFlagAttribute : Attribute;
