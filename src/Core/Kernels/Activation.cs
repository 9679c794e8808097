namespace ServeNet.Core.Kernels;

/// <summary>Element-wise non-linearity applied to a layer's pre-activation.</summary>
public enum Activation
{
    None,
    Relu,
    /// <summary>max(x, 0.01·x).</summary>
    LeakyRelu,
    Tanh,
    Sigmoid,
}
