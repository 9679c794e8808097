using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Layers;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Models;

/// <summary>Architecture of a classifier as stored under metadata "architecture".</summary>
public sealed record ArchitectureSpec(InputSpec Input, IReadOnlyList<LayerSpec> Layers);

/// <summary>
/// Saves a <see cref="Classifier{TBatch}"/> into a checkpoint (architecture in the metadata, one tensor
/// per parameter) and rebuilds it, checking every tensor's shape against the architecture.
/// </summary>
public static class ClassifierCheckpoint
{
    public const string ArchitectureKey = "architecture";

    /// <summary>The model's weights as tensors named <paramref name="prefix"/> + parameter name.</summary>
    public static IEnumerable<Tensor> Tensors<TBatch>(Classifier<TBatch> model, Func<Parameter, TensorStorage>? storage = null, string prefix = "")
        where TBatch : struct, IBatch =>
        model.Parameters.Select(p => new Tensor(prefix + p.Name, [p.Rows, p.Cols], p.Value, storage?.Invoke(p) ?? TensorStorage.Float32));

    /// <summary>Writes the model with the caller's metadata (kind, labels, vocabulary, training run...).</summary>
    /// <param name="storage">Storage per parameter, e.g. float16 for embedding tables; float32 by default.</param>
    /// <param name="extra">Tensors beyond the network's parameters (e.g. CRF transitions).</param>
    public static void Save<TBatch>(string path, Classifier<TBatch> model, JsonObject metadata, Func<Parameter, TensorStorage>? storage = null,
        IEnumerable<Tensor>? extra = null)
        where TBatch : struct, IBatch
    {
        var document = (JsonObject)metadata.DeepClone();
        document[ArchitectureKey] = JsonSerializer.SerializeToNode(
            new ArchitectureSpec(model.Input.Spec, model.Layers.Select(l => l.Spec).ToArray()), CheckpointJson.Options);
        var tensors = Tensors(model, storage).Concat(extra ?? []).ToArray();
        CheckpointWriter.Write(path, document, tensors);
    }

    /// <summary>Rebuilds a token classifier (DAN or window tagger) from a verified checkpoint.</summary>
    public static Classifier<TokenBatch> LoadTokenClassifier(Checkpoint checkpoint) => Load(checkpoint, LayerFactory.CreateTokenInput);

    /// <summary>Rebuilds a classifier whose input layer the caller makes from its stored spec.</summary>
    /// <param name="tensorPrefix">Prefix of the weights' tensor names: another network of the same architecture in the
    /// checkpoint (an ensemble's member).</param>
    public static Classifier<TBatch> Load<TBatch>(Checkpoint checkpoint, Func<InputSpec, IInputLayer<TBatch>> createInput, string tensorPrefix = "")
        where TBatch : struct, IBatch
    {
        var architecture = checkpoint.Require<ArchitectureSpec>(ArchitectureKey);
        Classifier<TBatch> model;
        try
        {
            model = new Classifier<TBatch>(
                createInput(architecture.Input),
                architecture.Layers.Select(LayerFactory.Create).ToArray());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new CheckpointException(checkpoint.Path, $"metadata.{ArchitectureKey}", "a consistent layer stack", "an invalid one", e.Message);
        }
        foreach (var p in model.Parameters)
            checkpoint.Tensor(tensorPrefix + p.Name, p.Rows, p.Cols).Values.CopyTo(p.Value, 0);
        return model;
    }
}
