using System.Text.Json.Nodes;

namespace ServeNet.Core.Models;

/// <summary>What identifies a loaded model: for /models, logs and the X-Model-Version header.</summary>
/// <param name="Version">Derived from the weights, so retraining with the same seed gives the same version.</param>
/// <param name="Sha256">SHA-256 of the checkpoint file.</param>
/// <param name="Metrics">Evaluation figures stored at training time (e.g. dev accuracy or F1).</param>
public sealed record ModelInfo(string Name, string Kind, string Version, string Sha256, IReadOnlyList<string> Labels,
    int VocabularySize, JsonObject Metrics, string Path)
{
    /// <summary>The identity of a model that is being trained or evaluated before it has a checkpoint.</summary>
    public static ModelInfo Unsaved(string kind, IReadOnlyList<string> labels, int vocabularySize) =>
        new("unsaved", kind, "", "", labels, vocabularySize, [], "");
}
