using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ServeNet.Api.OpenApi;

/// <summary>
/// Documents requests as the API enforces them: an endpoint's <see cref="RequestExamples"/> in its JSON
/// body (then marked required); a request type that keeps unknown properties only to refuse them by
/// name ([JsonExtensionData], as PredictionRequest) as closed (additionalProperties false); a
/// <see cref="QueryFlagAttribute"/> parameter as a boolean (default false), a <see cref="QueryChoiceAttribute"/> one
/// as a string with its values.
/// </summary>
public sealed class RequestDocumentationFilter : IOperationFilter, ISchemaFilter, IParameterFilter
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

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema closed || !context.Type.GetProperties().Any(p => p.IsDefined(typeof(JsonExtensionDataAttribute)))) return;
        closed.AdditionalPropertiesAllowed = false;
        closed.AdditionalProperties = null;
    }

    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter is not OpenApiParameter documented || context.ParameterInfo is not { } info) return;
        if (info.IsDefined(typeof(QueryFlagAttribute)))
            documented.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false };
        else if (info.GetCustomAttribute<QueryChoiceAttribute>() is { } choice)
            documented.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. choice.Values.Select(v => (JsonNode)JsonValue.Create(v))],
                Default = JsonValue.Create(choice.Values[0]),
            };
    }
}
