using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServeNet.Api.Classification;

/// <summary>
/// /classify's answer written by the source generator's fast path (the web defaults, as the app's JSON options): the
/// reflection-based writer walked the nested result objects with a stack of frames and boxed enumerators, about a
/// tenth of the CPU /classify spends beyond the no-op endpoint in a profile at 64 connections (docs/benchmarks.md).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClassifyResponse))]
internal sealed partial class ClassifyJson : JsonSerializerContext;

/// <summary>
/// Writes a <see cref="ClassifyResponse"/> in one call of the generated fast path; registered in the app's JSON options
/// (<see cref="Hosting.JsonSetup"/>), so <c>TypedResults.Ok</c> and its OpenAPI metadata stay as they are.
/// </summary>
internal sealed class ClassifyResponseConverter : JsonConverter<ClassifyResponse>
{
    private static readonly Action<Utf8JsonWriter, ClassifyResponse> FastPath = ClassifyJson.Default.ClassifyResponse.SerializeHandler
        ?? throw new InvalidOperationException("The JSON source generator made no fast path for ClassifyResponse.");

    public override ClassifyResponse? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, ClassifyJson.Default.ClassifyResponse);

    public override void Write(Utf8JsonWriter writer, ClassifyResponse value, JsonSerializerOptions options) => FastPath(writer, value);
}
