using System.Text.Json;

namespace ServeNet.Api.Tests.Fixtures;

/// <summary>
/// The Open Inference Protocol's REST objects as its specification defines them (inference_rest.md and the
/// components of open_inference_rest.yaml in kserve/open-inference-protocol): the required fields and their JSON
/// types. Each check fails naming the object and the field.
/// </summary>
public static class ProtocolShapes
{
    /// <summary>$metadata_server_response: name, version (strings), extensions (array of strings).</summary>
    public static void ServerMetadata(JsonElement body)
    {
        Require(body, "metadata_server_response", ("name", JsonValueKind.String), ("version", JsonValueKind.String), ("extensions", JsonValueKind.Array));
        Assert.All(body.GetProperty("extensions").EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
    }

    /// <summary>$metadata_model_response: name, platform, versions (optional), inputs and outputs of $metadata_tensor.</summary>
    public static void ModelMetadata(JsonElement body)
    {
        Require(body, "metadata_model_response", ("name", JsonValueKind.String), ("platform", JsonValueKind.String),
            ("inputs", JsonValueKind.Array), ("outputs", JsonValueKind.Array));
        if (body.TryGetProperty("versions", out var versions))
            Assert.All(versions.EnumerateArray(), v => Assert.Equal(JsonValueKind.String, v.ValueKind));
        foreach (var tensor in body.GetProperty("inputs").EnumerateArray().Concat(body.GetProperty("outputs").EnumerateArray()))
        {
            Require(tensor, "metadata_tensor", ("name", JsonValueKind.String), ("datatype", JsonValueKind.String), ("shape", JsonValueKind.Array));
            Assert.Contains(tensor.GetProperty("datatype").GetString(), Datatypes);
            // Variable-size dimensions are -1.
            Assert.All(tensor.GetProperty("shape").EnumerateArray(), d => Assert.True(d.GetInt64() >= -1, $"shape dimension {d}"));
        }
    }

    /// <summary>
    /// $inference_response: model_name, outputs of $response_output (name, shape, datatype, data), id and model_version
    /// strings when present; each output's data holds as many elements as its shape says, in its datatype.
    /// </summary>
    public static void InferenceResponse(JsonElement body)
    {
        Require(body, "inference_response", ("model_name", JsonValueKind.String), ("outputs", JsonValueKind.Array));
        foreach (string optional in new[] { "id", "model_version" })
            if (body.TryGetProperty(optional, out var value)) Assert.Equal(JsonValueKind.String, value.ValueKind);
        foreach (var output in body.GetProperty("outputs").EnumerateArray())
        {
            Require(output, "response_output", ("name", JsonValueKind.String), ("shape", JsonValueKind.Array),
                ("datatype", JsonValueKind.String), ("data", JsonValueKind.Array));
            long elements = output.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64());
            var data = Flatten(output.GetProperty("data")).ToArray();
            Assert.Equal(elements, data.Length);
            var expected = output.GetProperty("datatype").GetString() == "BYTES" ? JsonValueKind.String : JsonValueKind.Number;
            Assert.All(data, d => Assert.Equal(expected, d.ValueKind));
        }
    }

    /// <summary>$inference_error_response (and every other error object): {"error": string}, nothing else.</summary>
    public static string Error(JsonElement body)
    {
        Require(body, "error response", ("error", JsonValueKind.String));
        Assert.Single(body.EnumerateObject());
        return body.GetProperty("error").GetString()!;
    }

    private static readonly string[] Datatypes =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"];

    private static IEnumerable<JsonElement> Flatten(JsonElement data) =>
        data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().SelectMany(Flatten) : [data];

    private static void Require(JsonElement body, string what, params (string Name, JsonValueKind Kind)[] fields)
    {
        Assert.True(body.ValueKind == JsonValueKind.Object, $"{what} is an object: {body}");
        foreach (var (name, kind) in fields)
        {
            Assert.True(body.TryGetProperty(name, out var value), $"{what} has \"{name}\": {body}");
            Assert.True(value.ValueKind == kind, $"{what}.{name} is {kind}: {value}");
        }
    }
}
