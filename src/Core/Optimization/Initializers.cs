using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

/// <summary>Weight initialisations that keep activation variance steady through depth.</summary>
public static class Initializers
{
    /// <summary>Glorot/Xavier uniform: U(-a, a), a = √(6 / (fanIn + fanOut)); for tanh, sigmoid, linear.</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        float a = MathF.Sqrt(6f / (fanIn + fanOut));
        random.FillUniform(weights, -a, a);
    }

    /// <summary>He/Kaiming normal: N(0, 2 / fanIn); for ReLU.</summary>
    public static void HeNormal(Span<float> weights, int fanIn, SeededRandom random) =>
        random.FillGaussian(weights, MathF.Sqrt(2f / fanIn));
}
