using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using ServeNet.Api.Observability;
using ServeNet.Api.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ServeNet.Api.OpenApi;

/// <summary>
/// Documents responses as the API gives them: every response declares X-Request-Id (and traceparent), a
/// prediction's 200 declares X-Model-Version, the 200 shows the endpoint's <see cref="ResponseExamples"/>; the
/// tags are listed predictions first (<see cref="ApiTags.Order"/>), which is the order Swagger UI shows them in.
/// </summary>
public sealed class DocumentationFilter : IOperationFilter, IDocumentFilter
{
    public const string ApiKeyScheme = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        // The predictions say they take an API key (Swagger UI's Authorize button then sends it).
        if (metadata.OfType<ApiKeyRequired>().Any())
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
        bool predicts = metadata.OfType<ModelVersionHeader>().Any();
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete) continue;
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[RequestIds.Header] = new OpenApiHeader
            {
                Description = "The request's id: the client's X-Request-Id when it sent a plain token of up to 128 characters, "
                    + "otherwise one made for it. Also in the request's log line.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            concrete.Headers[RequestIds.TraceParent] = new OpenApiHeader
            {
                Description = "W3C trace context of the server's span for this request (the client's traceparent is its parent).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            if (predicts && status == "200")
                concrete.Headers[PredictionLog.VersionHeader] = new OpenApiHeader
                {
                    Description = "Version of the model that answered (derived from its weights), the same as the body's version.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
        }

        var examples = metadata.OfType<ResponseExamples>().FirstOrDefault();
        if (examples is null || operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse okResponse) return;
        okResponse.Content ??= new Dictionary<string, IOpenApiMediaType>();
        if (!okResponse.Content.TryGetValue("application/json", out var found) || found is not OpenApiMediaType media)
            okResponse.Content["application/json"] = media = new OpenApiMediaType();
        media.Examples ??= new Dictionary<string, IOpenApiExample>();
        foreach (string name in examples.Names)
            if (ResponseExamples.Load(name) is JsonNode value)
                media.Examples[name] = new OpenApiExample { Summary = $"{name} (the shipped models' answer)", Value = value };
    }

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>(ApiTags.Order.Select(name => new OpenApiTag { Name = name }));
    }
}
