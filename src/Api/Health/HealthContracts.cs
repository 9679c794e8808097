namespace ServeNet.Api.Health;

/// <summary>Liveness or readiness, and for readiness the state of each model.</summary>
/// <param name="Status">"live", "ready" or "not-ready".</param>
/// <param name="Models">Readiness only: one entry per model.</param>
public sealed record HealthResponse(string Status, IReadOnlyList<ModelHealth>? Models);

/// <param name="Task">"sentiment" or "ner".</param>
/// <param name="Ready">A model loaded from this checkpoint and answered its warm-up request.</param>
/// <param name="Version">The version serving, if any.</param>
/// <param name="Reason">Why it is not ready: still loading, or the file and what is wrong with it.</param>
public sealed record ModelHealth(string Task, bool Ready, string? Version, string? Reason);
