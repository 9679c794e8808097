using System.Text.Json;
using ServeNet.Core.Models;

namespace ServeNet.Api.Models;

/// <summary>A model that loaded and answered its warm-up, with when and how fast it loaded.</summary>
/// <param name="Metrics">The checkpoint's evaluation metrics, as an immutable (thread-safe) JSON value.</param>
public abstract record ServedModel(ModelInfo Info, JsonElement Metrics, DateTimeOffset LoadedAt, TimeSpan LoadTime);

/// <summary>Immutable: the hot path reads it once per request and uses it for the whole request.</summary>
public sealed record ServedModel<T>(T Model, ModelInfo Info, JsonElement Metrics, DateTimeOffset LoadedAt, TimeSpan LoadTime)
    : ServedModel(Info, Metrics, LoadedAt, LoadTime) where T : class;
