using System.Text.Json;

namespace ServeNet.Api.Models;

/// <summary>Every model slot: what serves, from which file, and the last load failure.</summary>
public sealed record ModelsResponse(IReadOnlyList<ModelStatus> Models);

/// <summary>
/// One model slot. The model fields (name to loadTimeMs) describe the model serving now and are null
/// when none loaded; lastError is the outcome of the latest load attempt, which may have failed while
/// an older version keeps serving.
/// </summary>
/// <param name="Task">"sentiment" or "ner": the model's name in /models/{name} and /v2/models/{name}.</param>
/// <param name="Endpoint">The route it serves.</param>
/// <param name="File">The checkpoint's file name in the models folder (never a path).</param>
/// <param name="Status">"serving", "serving-previous" (last reload failed; the older version serves), "loading" or "failed".</param>
/// <param name="Name">Model name stored in the checkpoint.</param>
/// <param name="Kind">Model type stored in the checkpoint.</param>
/// <param name="Version">Version, derived from the weights (also the X-Model-Version header).</param>
/// <param name="Sha256">SHA-256 of the checkpoint file that was loaded.</param>
/// <param name="Labels">Labels, in the order of the probabilities.</param>
/// <param name="VocabularySize">Words in the vocabulary, reserved tokens included.</param>
/// <param name="Metrics">Evaluation figures on the dev set recorded at training time.</param>
/// <param name="LoadedAt">When this version started serving.</param>
/// <param name="LoadTimeMs">Time to read, validate and warm up the checkpoint, in milliseconds.</param>
/// <param name="LastError">Why the latest load attempt failed, or null.</param>
public sealed record ModelStatus(string Task, string Endpoint, string File, string Status,
    string? Name, string? Kind, string? Version, string? Sha256, IReadOnlyList<string>? Labels, int? VocabularySize,
    JsonElement? Metrics, DateTimeOffset? LoadedAt, double? LoadTimeMs, ModelLoadFailure? LastError);

/// <summary>The outcome of an admin reload, per slot.</summary>
public sealed record ReloadResponse(IReadOnlyList<ReloadOutcome> Results);

/// <param name="Task">"sentiment" or "ner".</param>
/// <param name="Loaded">Whether the new checkpoint now serves.</param>
/// <param name="Version">The version serving after the reload (the old one if loading failed).</param>
/// <param name="Error">Why loading failed, or null.</param>
public sealed record ReloadOutcome(string Task, bool Loaded, string? Version, string? Error);
