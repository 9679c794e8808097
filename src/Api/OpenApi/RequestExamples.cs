namespace ServeNet.Api.OpenApi;

/// <summary>Named JSON request bodies shown for an endpoint in the OpenAPI document and Swagger UI.</summary>
public sealed record RequestExamples(IReadOnlyList<(string Name, string Summary, string Json)> Examples);

public static class RequestExamplesExtensions
{
    public static RouteHandlerBuilder WithRequestExamples(this RouteHandlerBuilder builder, params (string Name, string Summary, string Json)[] examples) =>
        builder.WithMetadata(new RequestExamples(examples));
}
