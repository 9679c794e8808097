namespace ServeNet.Api.OpenApi;

/// <summary>Marks an endpoint whose successful answers carry the X-Model-Version header (the predictions).</summary>
public sealed class ModelVersionHeader
{
    public static readonly ModelVersionHeader Instance = new();
}
