using System.Numerics.Tensors;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Kernels;

public class ActivationFunctionsTests
{
    [Fact]
    public void Relu_GivesTensorPrimitivesMaximumBitForBit_OnSpecialValuesAndEveryTailLength()
    {
        float[] specials = [0f, -0f, 1f, -1f, float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon,
            -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, -1e-40f, BitConverter.Int32BitsToSingle(0x7FC0_1234)];
        var random = new SeededRandom(11);
        foreach (int n in Enumerable.Range(0, 41).Append(300 * 16).Append(1_000_003))
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? specials[i / 3 % specials.Length] : random.NextFloat() * 4 - 2;
            var expected = x.ToArray();
            TensorPrimitives.Max(expected, 0f, expected);

            ActivationFunctions.Relu(x);

            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(x[i]),
                    $"n = {n}, value {i}: {expected[i]} expected, {x[i]} given");
        }
    }
}
