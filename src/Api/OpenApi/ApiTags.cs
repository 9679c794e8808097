namespace ServeNet.Api.OpenApi;

/// <summary>The OpenAPI tags, in the order Swagger UI shows them: the predictions first, operations last.</summary>
public static class ApiTags
{
    public const string Sentiment = "Sentiment";
    public const string Entities = "Named entities";
    public const string OpenInference = "Open Inference Protocol (KServe V2)";
    public const string Models = "Models";
    public const string Health = "Health";

    public static readonly string[] Order = [Sentiment, Entities, OpenInference, Models, Health];
}
