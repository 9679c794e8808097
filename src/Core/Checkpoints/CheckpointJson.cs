using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServeNet.Core.Checkpoints;

/// <summary>JSON conventions of checkpoint metadata: camelCase, enums as strings.</summary>
public static class CheckpointJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
