using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;
using ServeNet.Api.OpenApi;

namespace ServeNet.Api.Models;

public static class ModelsApi
{
    public const string AdminKeyHeader = "X-Admin-Key";

    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags(ApiTags.Models);

        api.MapGet("/models", GetModels)
            .WithName("GetModels")
            .WithSummary("The loaded models: name, kind, version, checkpoint SHA-256, labels, vocabulary size, dev metrics, load time")
            .WithDescription("Also shows, per model, the outcome of the latest load: a checkpoint that failed validation is "
                + "reported in lastError while the previous version keeps serving. Files are named, never their paths.")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithResponseExamples("models");

        api.MapGet("/models/{name}", GetModel)
            .WithName("GetModel")
            .WithSummary("One model, by its name in /models (\"sentiment\" or \"ner\")")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithResponseExamples("model-sentiment");

        api.MapPost("/models/reload", Reload)
            .WithName("ReloadModels")
            .WithSummary("Reload checkpoints now (admin)")
            .WithDescription("Loads, validates and warms up the checkpoint of every model (or of ?task=sentiment|ner) and swaps it "
                + "in atomically; on failure the previous version keeps serving. Requires the X-Admin-Key header when "
                + "ServeNet:Models:AdminKey is set; otherwise only calls from the local machine are accepted.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithResponseExamples("reload");

        return api;
    }

    public static Ok<ModelsResponse> GetModels(ModelRegistry models) =>
        TypedResults.Ok(new ModelsResponse(models.All.Select(Describe).ToArray()));

    /// <param name="name">"sentiment" or "ner".</param>
    public static Results<Ok<ModelStatus>, ProblemHttpResult> GetModel(string name, ModelRegistry models) =>
        models.Find(name) is { } slot ? TypedResults.Ok(Describe(slot)) : Problems.UnknownModel(name, models.All.Select(s => s.Name));

    /// <param name="task">Reload only this model: "sentiment" or "ner". All when absent.</param>
    public static async Task<Results<Ok<ReloadResponse>, ProblemHttpResult>> Reload(
        [FromHeader(Name = AdminKeyHeader)] string? adminKey, HttpContext context, ModelRegistry models, ModelLoader loader,
        IOptions<ModelsOptions> options, string? task = null)
    {
        string? required = options.Value.AdminKey;
        if (!string.IsNullOrEmpty(required))
        {
            if (adminKey is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(adminKey), Encoding.UTF8.GetBytes(required)))
                return Problems.AdminKeyRequired(AdminKeyHeader);
        }
        else if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            return Problems.ReloadNotLocal();
        }

        ModelSlot[] slots;
        if (task is null) slots = [.. models.All];
        else if (models.Find(task) is { } slot) slots = [slot];
        else return Problems.UnknownTask(task, models.All.Select(s => s.Name));

        var outcomes = new ReloadOutcome[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            bool loaded = await loader.LoadAsync(slots[i], "admin request", context.RequestAborted);
            outcomes[i] = new ReloadOutcome(slots[i].Name, loaded, slots[i].Serving?.Info.Version, loaded ? null : slots[i].LastFailure?.Reason);
        }
        return TypedResults.Ok(new ReloadResponse(outcomes));
    }

    private static ModelStatus Describe(ModelSlot slot)
    {
        var serving = slot.Serving;
        var failure = slot.LastFailure;
        string status = (serving, failure) switch
        {
            (not null, null) => "serving",
            (not null, not null) => "serving-previous",
            (null, not null) => "failed",
            (null, null) => "loading",
        };
        var info = serving?.Info;
        return new ModelStatus(slot.Name, slot.Endpoint, slot.FileName, status,
            info?.Name, info?.Kind, info?.Version, info?.Sha256, info?.Labels, info?.VocabularySize,
            serving?.Metrics, serving?.LoadedAt, serving?.LoadTime.TotalMilliseconds, failure);
    }
}
