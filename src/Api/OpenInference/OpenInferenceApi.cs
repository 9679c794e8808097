using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServeNet.Api.Classification;
using ServeNet.Api.Errors;
using ServeNet.Api.Models;
using ServeNet.Api.Ner;
using ServeNet.Api.Observability;
using ServeNet.Api.OpenApi;
using ServeNet.Api.Overload;
using ServeNet.Api.Predictions;
using ServeNet.Api.Security;
using ServeNet.Core.Models;

namespace ServeNet.Api.OpenInference;

/// <summary>
/// The Open Inference Protocol (KServe V2) over REST: how KServe, Triton and Seldon clients call a model server, and
/// how ServeNet runs as a KServe custom runtime. Both models, by the names of GET /models ("sentiment", "ner"); a
/// version in the URL must be the one serving. Every error under /v2 is {"error": "..."} (Errors/OpenInferenceErrorWriter).
/// </summary>
public static class OpenInferenceApi
{
    public const string Platform = "servenet";

    // The JSON inside BYTES elements: non-ASCII kept as is (it is escaped once more as part of the response's string).
    private static readonly JsonSerializerOptions ElementJson = new(JsonSerializerOptions.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RouteGroupBuilder MapOpenInferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v2").WithTags(ApiTags.OpenInference);

        api.MapPost("/models/{name}/infer", Infer)
            .WithName("V2Infer")
            .WithSummary("Inference: texts as one BYTES input \"text\" of shape [n]")
            .WithDescription("sentiment answers label (BYTES [n]) and probabilities (FP32 [n, labels], in the label order of the "
                + "model's metadata); ner answers entities and tags (BYTES [n], each element a JSON array: entities with type, "
                + "offsets and score; every token with offsets, BIO tag and probability). \"outputs\" picks some; the request's "
                + "id comes back (or the X-Request-Id when it has none). Parameter \"offsets\": utf16 (default), codepoints or utf8.")
            .WithInferenceErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests,
                StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout)
            .WithMetadata(ModelVersionHeader.Instance)
            .RequireApiKey()
            .WithRequestExamples(
                ("sentiment", "POST /v2/models/sentiment/infer", """{"id": "42", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["a wonderful, moving film", "a dull, tedious mess"]}]}"""),
                ("ner", "POST /v2/models/ner/infer", """{"id": "43", "inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["Angela Merkel visited Paris"]}], "outputs": [{"name": "entities"}]}"""))
            .WithResponseExamples("v2-infer-sentiment", "v2-infer-ner");
        api.MapPost("/models/{name}/versions/{version}/infer", InferVersion)
            .WithName("V2InferVersion")
            .WithSummary("Inference on a named version (it must be the version serving)")
            .RequireApiKey()
            .WithInferenceErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests,
                StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout)
            .WithMetadata(ModelVersionHeader.Instance);

        api.MapGet("/models/{name}", GetModelMetadata)
            .WithName("V2ModelMetadata")
            .WithSummary("Model metadata: name, version, platform, inputs and outputs with datatype and shape")
            .WithInferenceErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithResponseExamples("v2-model-sentiment", "v2-model-ner");
        api.MapGet("/models/{name}/versions/{version}", GetModelVersionMetadata)
            .WithName("V2ModelVersionMetadata")
            .WithSummary("Model metadata of a named version")
            .WithInferenceErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/models/{name}/ready", GetModelReady)
            .WithName("V2ModelReady")
            .WithSummary("Model readiness: 200 when it serves, 503 (same body) while it is loading or its checkpoint is bad")
            .Produces<ModelReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithInferenceErrors(StatusCodes.Status404NotFound)
            .WithResponseExamples("v2-model-ready");
        api.MapGet("/models/{name}/versions/{version}/ready", GetModelVersionReady)
            .WithName("V2ModelVersionReady")
            .WithSummary("Readiness of a named version")
            .Produces<ModelReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithInferenceErrors(StatusCodes.Status404NotFound);

        api.MapGet("", GetServerMetadata)
            .WithName("V2ServerMetadata")
            .WithSummary("Server metadata: name, version, extensions")
            .WithResponseExamples("v2-server");
        api.MapGet("/health/live", GetLive)
            .WithName("V2Live")
            .WithSummary("Server liveness: the process answers")
            .WithResponseExamples("v2-live");
        api.MapGet("/health/ready", GetReady)
            .WithName("V2Ready")
            .WithSummary("Server readiness: 200 when every model serves, 503 (same body) otherwise; KServe's readiness probe")
            .Produces<ServerReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithResponseExamples("v2-ready");

        return api;
    }

    /// <param name="name">"sentiment" or "ner".</param>
    public static Task<Results<Ok<InferenceResponse>, ProblemHttpResult>> Infer(
        string name, [FromBody] InferenceRequest? request, ModelRegistry models, IOptions<LimitsOptions> limits, ApiMetrics metrics,
        PredictionLog log, HttpContext context, PredictionGate gate, CancellationToken cancellationToken) =>
        Answer(name, null, request, models, limits, metrics, log, context, gate, cancellationToken);

    /// <param name="name">"sentiment" or "ner".</param>
    /// <param name="version">The version serving (see the model's metadata); any other is 404.</param>
    public static Task<Results<Ok<InferenceResponse>, ProblemHttpResult>> InferVersion(
        string name, string version, [FromBody] InferenceRequest? request, ModelRegistry models, IOptions<LimitsOptions> limits,
        ApiMetrics metrics, PredictionLog log, HttpContext context, PredictionGate gate, CancellationToken cancellationToken) =>
        Answer(name, version, request, models, limits, metrics, log, context, gate, cancellationToken);

    // The same path as /classify and /ner: the limits (413), the model (503), admission by tokens (429), the time limit
    // and a client gone through cancellationToken (RequestAborted, which the request time limit cancels).
    private static async Task<Results<Ok<InferenceResponse>, ProblemHttpResult>> Answer(string name, string? version, InferenceRequest? request,
        ModelRegistry models, IOptions<LimitsOptions> limits, ApiMetrics metrics, PredictionLog log, HttpContext context,
        PredictionGate gate, CancellationToken cancellationToken)
    {
        var response = context.Response;
        PredictionHeaders.Apply(response);
        if (models.Find(name) is not { } slot) return Problems.UnknownModel(name, models.All.Select(s => s.Name));
        var signature = ModelSignature.Of(slot, models);
        if (!TextInput.TryRead(request, signature.OutputNames, limits.Value, out var texts, out int tokens, out var refusal)) return refusal;
        if (!TextInput.TryReadOffsets(request!, out var unit, out refusal)) return refusal;
        var wanted = request!.Outputs is { Count: > 0 } outputs ? outputs.Select(o => o.Name!).ToHashSet(StringComparer.Ordinal) : null;
        string id = request.Id ?? context.TraceIdentifier;

        // One read of the slot: every text of this request is answered by the same model, even during a swap.
        var sentiment = slot == models.Sentiment ? models.Sentiment.Current : null;
        var ner = slot == models.Ner ? models.Ner.Current : null;
        ModelInfo? info = sentiment?.Info ?? ner?.Info;
        if (info is null) return Problems.ModelNotLoaded(slot.NotLoadedReason, response);
        if (WrongVersion(slot, info, version) is { } missing) return missing;

        using var admission = await gate.AdmitAsync(context, tokens, cancellationToken);
        if (admission.Refusal is { } busy) return busy;
        long started = Stopwatch.GetTimestamp();
        List<OutputTensor> tensors = [];
        if (sentiment is not null)
        {
            var results = sentiment.Model.Classify(texts, cancellationToken);
            int n = results.Length, labels = sentiment.Model.Labels.Count;
            if (wanted?.Contains("label") != false)
                tensors.Add(new OutputTensor("label", [n], "BYTES", results.Select(r => r.Label).ToArray()));
            if (wanted?.Contains("probabilities") != false)
            {
                var probabilities = new float[n * labels]; // [n, labels], row-major
                for (int i = 0; i < n; i++) results[i].Probabilities.CopyTo(probabilities, i * labels);
                tensors.Add(new OutputTensor("probabilities", [n, labels], "FP32", probabilities));
            }
            metrics.Classified(n, Stopwatch.GetElapsedTime(started));
        }
        else
        {
            var tagged = ner!.Model.Tag(texts, cancellationToken);
            var results = new NerResult[tagged.Length];
            for (int i = 0; i < tagged.Length; i++) results[i] = NerApi.ToResult(texts[i], tagged[i], unit);
            int n = results.Length;
            if (wanted?.Contains("entities") != false)
                tensors.Add(new OutputTensor("entities", [n], "BYTES", results.Select(r => JsonSerializer.Serialize(r.Entities, ElementJson)).ToArray()));
            if (wanted?.Contains("tags") != false)
                tensors.Add(new OutputTensor("tags", [n], "BYTES", results.Select(r => JsonSerializer.Serialize(r.Tokens, ElementJson)).ToArray()));
            metrics.Tagged(n, Stopwatch.GetElapsedTime(started));
        }

        log.Answered(response, info.Version, texts);
        return TypedResults.Ok(new InferenceResponse(slot.Name, info.Version, id, tensors));
    }

    /// <param name="name">"sentiment" or "ner".</param>
    public static Results<Ok<ModelMetadataResponse>, ProblemHttpResult> GetModelMetadata(string name, ModelRegistry models, HttpResponse response) =>
        ModelMetadata(name, null, models, response);

    /// <param name="name">"sentiment" or "ner".</param>
    /// <param name="version">The version serving; any other is 404.</param>
    public static Results<Ok<ModelMetadataResponse>, ProblemHttpResult> GetModelVersionMetadata(string name, string version, ModelRegistry models, HttpResponse response) =>
        ModelMetadata(name, version, models, response);

    private static Results<Ok<ModelMetadataResponse>, ProblemHttpResult> ModelMetadata(string name, string? version, ModelRegistry models, HttpResponse response)
    {
        if (models.Find(name) is not { } slot) return Problems.UnknownModel(name, models.All.Select(s => s.Name));
        if (slot.Serving is not { } served) return Problems.ModelNotLoaded(slot.NotLoadedReason, response);
        if (WrongVersion(slot, served.Info, version) is { } missing) return missing;
        var signature = ModelSignature.Of(slot, models);
        return TypedResults.Ok(new ModelMetadataResponse(slot.Name, [served.Info.Version], Platform,
            [new TensorMetadata(TextInput.Name, TextInput.Datatype, [-1])], signature.Outputs(served.Info.Labels.Count),
            new Dictionary<string, string> { ["kind"] = served.Info.Kind, ["labels"] = string.Join(",", served.Info.Labels) }));
    }

    /// <param name="name">"sentiment" or "ner".</param>
    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, ProblemHttpResult> GetModelReady(string name, ModelRegistry models) =>
        ModelReady(name, null, models);

    /// <param name="name">"sentiment" or "ner".</param>
    /// <param name="version">The version serving; any other is 404.</param>
    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, ProblemHttpResult> GetModelVersionReady(string name, string version, ModelRegistry models) =>
        ModelReady(name, version, models);

    private static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, ProblemHttpResult> ModelReady(string name, string? version, ModelRegistry models)
    {
        if (models.Find(name) is not { } slot) return Problems.UnknownModel(name, models.All.Select(s => s.Name));
        if (slot.Serving is not { } served)
            return TypedResults.Json(new ModelReadyResponse(slot.Name, false), statusCode: StatusCodes.Status503ServiceUnavailable);
        if (WrongVersion(slot, served.Info, version) is { } missing) return missing;
        return TypedResults.Ok(new ModelReadyResponse(slot.Name, true));
    }

    public static Ok<ServerMetadataResponse> GetServerMetadata() => TypedResults.Ok(Server);

    public static Ok<ServerLiveResponse> GetLive() => TypedResults.Ok(new ServerLiveResponse(true));

    public static Results<Ok<ServerReadyResponse>, JsonHttpResult<ServerReadyResponse>> GetReady(ModelRegistry models) =>
        models.IsReady
            ? TypedResults.Ok(new ServerReadyResponse(true))
            : TypedResults.Json(new ServerReadyResponse(false), statusCode: StatusCodes.Status503ServiceUnavailable);

    private static readonly ServerMetadataResponse Server = new(Platform,
        typeof(OpenInferenceApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0", []);

    private static ProblemHttpResult? WrongVersion(ModelSlot slot, ModelInfo serving, string? version) =>
        version is null || version == serving.Version ? null : Problems.UnknownVersion(slot.Name, version, serving.Version);

    /// <summary>The error responses of a /v2 endpoint, each {"error": "..."}.</summary>
    private static RouteHandlerBuilder WithInferenceErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses) builder.Produces<InferenceError>(status);
        return builder.Produces<InferenceError>(StatusCodes.Status500InternalServerError);
    }
}
