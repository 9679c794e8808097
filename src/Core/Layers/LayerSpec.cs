using ServeNet.Core.Kernels;

namespace ServeNet.Core.Layers;

/// <summary>
/// What a layer is, without its weights: stored in checkpoint metadata and turned back into a
/// layer by <see cref="LayerFactory"/>.
/// </summary>
public sealed record LayerSpec(string Kind, string Name, int InputSize, int OutputSize,
    Activation Activation = Activation.None, float Rate = 0f);
