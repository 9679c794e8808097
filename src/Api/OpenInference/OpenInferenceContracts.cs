using System.Text.Json;
using System.Text.Json.Serialization;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.OpenInference;

// The Open Inference Protocol's REST objects (https://github.com/kserve/open-inference-protocol,
// specification/protocol/inference_rest.md), as this server reads and writes them.

/// <summary>$inference_request: the texts as one BYTES input named "text" of shape [n].</summary>
/// <param name="Id">Returned as the response's id (when absent, the response carries the request's X-Request-Id).</param>
/// <param name="Parameters">Server-specific parameters: "offsets" ("utf16", "codepoints" or "utf8") for the NER model's offsets; others are ignored, as the protocol lets servers do.</param>
/// <param name="Inputs">Exactly one: {"name": "text", "datatype": "BYTES", "shape": [n], "data": [n strings]}.</param>
/// <param name="Outputs">The outputs to return (all when absent).</param>
public sealed record InferenceRequest(
    [property: JsonConverter(typeof(TextConverter))] string? Id,
    Dictionary<string, JsonElement>? Parameters,
    IReadOnlyList<InferenceInput>? Inputs,
    IReadOnlyList<RequestedOutput>? Outputs)
{
    /// <summary>Fields the protocol does not have, refused by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>$request_input: a tensor; the data may be flat or nested, row-major.</summary>
public sealed record InferenceInput(
    [property: JsonConverter(typeof(TextConverter))] string? Name,
    long[]? Shape,
    [property: JsonConverter(typeof(TextConverter))] string? Datatype,
    Dictionary<string, JsonElement>? Parameters,
    JsonElement Data)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>$request_output: an output to return, by name.</summary>
public sealed record RequestedOutput([property: JsonConverter(typeof(TextConverter))] string? Name, Dictionary<string, JsonElement>? Parameters)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>$inference_response.</summary>
/// <param name="ModelName">The model's name in the URL ("sentiment", "ner").</param>
/// <param name="ModelVersion">The version that answered (also the X-Model-Version header).</param>
/// <param name="Id">The request's id, or its X-Request-Id when it gave none.</param>
public sealed record InferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string Id,
    IReadOnlyList<OutputTensor> Outputs);

/// <summary>$response_output: a tensor, its data flattened in row-major order.</summary>
/// <param name="Data">Strings for BYTES, numbers for FP32.</param>
public sealed record OutputTensor(string Name, long[] Shape, string Datatype, object Data);

/// <summary>$metadata_tensor: shape -1 marks the batch dimension.</summary>
public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary>$metadata_server_response.</summary>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>$metadata_model_response.</summary>
/// <param name="Versions">The version serving now: the only one that may be named in a URL.</param>
/// <param name="Platform">"servenet".</param>
/// <param name="Properties">The model's kind and its labels in output order (the columns of "probabilities").</param>
public sealed record ModelMetadataResponse(string Name, IReadOnlyList<string> Versions, string Platform,
    IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs, IReadOnlyDictionary<string, string> Properties);

/// <summary>$live_server_response.</summary>
public sealed record ServerLiveResponse(bool Live);

/// <summary>Server readiness: every model loaded and warmed up.</summary>
public sealed record ServerReadyResponse(bool Ready);

/// <summary>$ready_model_response.</summary>
public sealed record ModelReadyResponse(string Name, bool Ready);

/// <summary>The protocol's error object: every failure under /v2 (see Errors/OpenInferenceErrorWriter).</summary>
public sealed record InferenceError(string Error);
