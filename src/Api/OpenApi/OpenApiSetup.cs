using System.Reflection;
using Microsoft.OpenApi;

namespace ServeNet.Api.OpenApi;

public static class OpenApiSetup
{
    public const string Description =
        "Serves ServeNet's small NLP models: sentiment classification (POST /classify) and named-entity recognition "
        + "(POST /ner), each for one text ({\"text\": \"...\"}) or a batch ({\"texts\": [...]}). Every prediction names the "
        + "model and its version (also in the X-Model-Version header). Errors are RFC 7807 problem details: 400 names the "
        + "invalid field, 413 means over a limit, named in the answer (by default 100,000 characters and 5,000 tokens per text, "
        + "20,000 tokens per request and 2,000 with explain=true, 256 texts, 1 MB body), 415 means the body is not JSON, 429 "
        + "means the server is busy (retry after Retry-After), 503 means the model is not loaded, 504 means the request took "
        + "longer than the time limit (10 s by default). Character offsets are UTF-16 code units of the "
        + "submitted string. GET /models lists the loaded models; /health/live, /health/ready and /metrics (Prometheus) "
        + "are for operators.";

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
            // Response fields that are never null say so (and are required), for client generators.
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
}
