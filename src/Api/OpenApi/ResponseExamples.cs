using System.Reflection;
using System.Text.Json.Nodes;

namespace ServeNet.Api.OpenApi;

/// <summary>
/// Real responses of an endpoint, shown in the OpenAPI document: each a JSON file in OpenApi/Examples/
/// (embedded in the assembly) written by scripts/api-examples.py from the API serving the shipped models.
/// </summary>
public sealed record ResponseExamples(IReadOnlyList<string> Names)
{
    private const string Prefix = "ServeNet.Api.OpenApi.Examples.";

    /// <summary>The example's JSON, or null when no such file was embedded.</summary>
    public static JsonNode? Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"{Prefix}{name}.json");
        return stream is null ? null : JsonNode.Parse(stream);
    }

    /// <summary>Every embedded example name.</summary>
    public static IEnumerable<string> All() => Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length]);
}

public static class ResponseExamplesExtensions
{
    /// <summary>The 200 response's examples, by file name in OpenApi/Examples/ (without .json).</summary>
    public static TBuilder WithResponseExamples<TBuilder>(this TBuilder builder, params string[] names) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseExamples(names));
}
