using System.Reflection;
using Microsoft.OpenApi;

namespace ServeNet.Api.OpenApi;

public static class OpenApiSetup
{
    public const string Description =
        "Serves ServeNet's small NLP models: sentiment classification (POST /classify) and named-entity recognition "
        + "(POST /ner), each for one text ({\"text\": \"...\"}) or a batch ({\"texts\": [...]}); Hugging Face style "
        + "{\"inputs\": ...} works too. The same models speak the Open Inference Protocol (KServe V2) under /v2. Every "
        + "prediction names the model and its version (also in the X-Model-Version header); every response carries "
        + "X-Request-Id and traceparent. Errors are RFC 7807 problem details (under /v2: {\"error\": \"...\"}): 400 "
        + "names the invalid field, 401 means an API key is required, 413 means over a limit, named in the answer (by "
        + "default 100,000 characters and 5,000 tokens per text, 20,000 tokens per request and 2,000 with explain=true, "
        + "256 texts, 1 MB body), 415 means the body is not JSON, 429 means the server is busy (retry after Retry-After), "
        + "503 means the model is not loaded, 504 means the request took longer than the time limit (10 s by default). "
        + "Character offsets are UTF-16 code units of the submitted string unless ?offsets=codepoints (Python) or "
        + "?offsets=utf8 says otherwise. GET /models lists the loaded models; /health/live, /health/ready and /metrics "
        + "(Prometheus) are for operators.";

    /// <summary>Swagger document "v1" with descriptions from the XML comments and example requests.</summary>
    public static IServiceCollection AddServeNetOpenApi(this IServiceCollection services) =>
        services.AddEndpointsApiExplorer().AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo { Title = "ServeNet API", Version = "v1", Description = Description });
            string xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
            options.OperationFilter<RequestDocumentationFilter>();
            options.SchemaFilter<RequestDocumentationFilter>();
            options.ParameterFilter<RequestDocumentationFilter>();
            options.OperationFilter<DocumentationFilter>();
            options.AddSecurityDefinition(DocumentationFilter.ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "Needed by the predictions when ServeNet:Security:ApiKeys has keys (off by default); "
                    + "Authorization: Bearer <key> works too.",
            });
            options.DocumentFilter<DocumentationFilter>();
            // Predictions first, in the order of the tags; within a tag, by path.
            options.OrderActionsBy(d => $"{Array.IndexOf(ApiTags.Order, d.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().FirstOrDefault()?.Tags.FirstOrDefault()):D2} {d.RelativePath}");
            // Response fields that are never null say so (and are required), for client generators.
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
}
