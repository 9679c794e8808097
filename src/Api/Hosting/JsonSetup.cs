using Microsoft.AspNetCore.Http.Json;
using ServeNet.Api.Classification;

namespace ServeNet.Api.Hosting;

public static class JsonSetup
{
    /// <summary>
    /// Request bodies are read strictly: a property given twice is an error rather than the last one
    /// winning. (Each request type reads its own fields with typed converters and keeps unknown ones to refuse by name.)
    /// /classify's answer, the busiest, is written by source-generated code (<see cref="ClassifyResponseConverter"/>).
    /// </summary>
    public static IServiceCollection ConfigureServeNetJson(this IServiceCollection services) =>
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Add(new ClassifyResponseConverter());
        });
}
