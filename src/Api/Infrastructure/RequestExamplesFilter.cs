using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ServeNet.Api.Infrastructure;

/// <summary>Copies an endpoint's <see cref="RequestExamples"/> into its JSON request body; marks the body required.</summary>
public sealed class RequestExamplesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var examples = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExamples>().FirstOrDefault();
        if (examples is null || operation.RequestBody is not OpenApiRequestBody body) return;
        body.Required = true;
        if (body.Content is null || !body.Content.TryGetValue("application/json", out var content) || content is not OpenApiMediaType media) return;
        media.Examples ??= new Dictionary<string, IOpenApiExample>();
        foreach (var (name, summary, json) in examples.Examples)
            media.Examples[name] = new OpenApiExample { Summary = summary, Value = JsonNode.Parse(json) };
    }
}
