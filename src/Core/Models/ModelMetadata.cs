using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Models;

/// <summary>The metadata every served model's checkpoint carries, written and read the same way for each kind.</summary>
public static class ModelMetadata
{
    /// <summary>kind, name, a version derived from the weights, their digest, labels, training run and metrics.</summary>
    public static JsonObject Common(string kind, string name, IEnumerable<Parameter> parameters, IEnumerable<string> labels,
        JsonObject training, JsonObject metrics)
    {
        string digest = WeightsDigest.Compute(parameters);
        return new JsonObject
        {
            ["kind"] = kind,
            ["name"] = name,
            ["version"] = WeightsDigest.Version(name, digest),
            ["weightsSha256"] = digest,
            ["labels"] = new JsonArray(labels.Select(l => (JsonNode)l!).ToArray()),
            ["training"] = training.DeepClone(),
            ["metrics"] = metrics.DeepClone(),
        };
    }

    /// <summary>Refuses the checkpoint of another model kind, naming both.</summary>
    public static string RequireKind(Checkpoint checkpoint, string expected)
    {
        string kind = checkpoint.Require<string>("kind");
        if (kind != expected)
            throw new CheckpointException(checkpoint.Path, "metadata.kind", $"\"{expected}\"", $"\"{kind}\"", "Is this the checkpoint of another model type?");
        return kind;
    }

    /// <summary>The identity of a loaded checkpoint for /models, logs and response headers.</summary>
    public static ModelInfo Info(Checkpoint checkpoint, string kind, IReadOnlyList<string> labels, int vocabularySize) =>
        new(checkpoint.Require<string>("name"), kind, checkpoint.Require<string>("version"), checkpoint.Sha256,
            labels, vocabularySize, checkpoint.Metadata["metrics"] as JsonObject ?? [], checkpoint.Path);

    /// <summary>A vocabulary as stored under a metadata key: every word in id order, reserved tokens first.</summary>
    public static JsonArray VocabularyJson(Vocabulary vocabulary) => new(vocabulary.Words.Select(w => (JsonNode)w!).ToArray());

    /// <summary>The vocabulary stored under <paramref name="key"/>; refuses a list that does not start with the reserved tokens.</summary>
    public static Vocabulary ReadVocabulary(Checkpoint checkpoint, string key = "vocabulary")
    {
        try
        {
            return Vocabulary.FromStored(checkpoint.Require<string[]>(key));
        }
        catch (FormatException e)
        {
            throw new CheckpointException(checkpoint.Path, $"metadata.{key}", $"{Vocabulary.Padding}, {Vocabulary.Unknown}, then the words", "another list", e.Message);
        }
    }
}
