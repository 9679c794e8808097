namespace ServeNet.Bench.MlNetServe;

/// <summary>One text or a batch of texts: exactly one of the two (ServeNet's request shape).</summary>
public sealed record PredictionRequest(string? Text, IReadOnlyList<string?>? Texts);

/// <summary>ServeNet's /classify response shape: the model that answered and one result per text, in order.</summary>
public sealed record ClassifyResponse(string Model, string Version, IReadOnlyList<ClassifyResult> Results);

/// <summary>The label, its probability and the probability of every label.</summary>
public sealed record ClassifyResult(string Label, float Score, IReadOnlyDictionary<string, float> Probabilities);
