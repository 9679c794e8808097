using ServeNet.Core.Layers;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Models;

/// <summary>Turns layer specs from checkpoint metadata back into layers (with fresh, zero weights).</summary>
public static class LayerFactory
{
    public static ILayer Create(LayerSpec spec) => spec.Kind switch
    {
        "dense" => new Dense(spec.Name, spec.InputSize, spec.OutputSize, spec.Activation),
        "activation" => new ActivationLayer(spec.Name, spec.InputSize, spec.Activation),
        "dropout" => new Dropout(spec.Name, spec.InputSize, spec.Rate),
        _ => throw new NotSupportedException($"Unknown layer kind '{spec.Kind}' (layer '{spec.Name}'); known: dense, activation, dropout."),
    };

    public static IInputLayer<TokenBatch> CreateTokenInput(InputSpec spec) => spec.Kind switch
    {
        "embedding-bag" when spec.Tables.Count == 1 =>
            new EmbeddingBag(spec.Name, spec.Tables[0].Rows, spec.Tables[0].Cols, spec.WordDropout),
        "embedding-bag" when spec.Tables.Count == 2 && spec.Tables[1].Cols == spec.Tables[0].Cols && spec.Tables[1].Rows % spec.Tables[0].Cols == 0 =>
            new EmbeddingBag(spec.Name, spec.Tables[0].Rows, spec.Tables[0].Cols, spec.WordDropout, spec.Tables[1].Rows / spec.Tables[0].Cols),
        "concat-embedding" when spec.SlotTables is not null => new ConcatEmbedding(spec.Name, spec.Tables, spec.SlotTables, spec.SlotGroups),
        _ => throw new NotSupportedException($"Unknown or malformed token input '{spec.Kind}' (input '{spec.Name}').")
    };
}
