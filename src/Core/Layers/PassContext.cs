using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

/// <summary>Whether a forward pass is training (dropout on, masks drawn from <see cref="Random"/>) or inference.</summary>
public readonly record struct PassContext(bool Training, SeededRandom? Random)
{
    public static PassContext Inference => default;

    public static PassContext Train(SeededRandom random) => new(true, random);

    internal SeededRandom RequireRandom() =>
        Random ?? throw new InvalidOperationException("A training pass needs a SeededRandom for dropout.");
}
