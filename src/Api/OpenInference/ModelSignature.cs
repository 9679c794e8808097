using ServeNet.Api.Models;

namespace ServeNet.Api.OpenInference;

/// <summary>A model's outputs in the protocol's terms (its input is always "text", BYTES [n]).</summary>
public sealed record ModelSignature(IReadOnlyList<string> OutputNames, Func<int, TensorMetadata[]> Outputs)
{
    /// <summary>label BYTES [n] and probabilities FP32 [n, labels].</summary>
    public static readonly ModelSignature Sentiment = new(["label", "probabilities"],
        labels => [new("label", "BYTES", [-1]), new("probabilities", "FP32", [-1, labels])]);

    /// <summary>entities and tags, BYTES [n]: one JSON array per text.</summary>
    public static readonly ModelSignature Ner = new(["entities", "tags"],
        _ => [new("entities", "BYTES", [-1]), new("tags", "BYTES", [-1])]);

    public static ModelSignature Of(ModelSlot slot, ModelRegistry models) => slot == models.Sentiment ? Sentiment : Ner;
}
