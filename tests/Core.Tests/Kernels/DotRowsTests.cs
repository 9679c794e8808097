using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Kernels;

public sealed class DotRowsTests
{
    [Fact]
    public unsafe void AddTo_EveryRowAndDepthTail_AddsTheMatrixTimesTheVector()
    {
        // Four rows at a time (n mod 4 left alone), 16 then 8 columns a step (k mod 8 in scalar).
        foreach (int n in new[] { 1, 3, 4, 5, 7, 8, 200, 201 })
            foreach (int k in new[] { 1, 7, 8, 9, 15, 16, 17, 24, 200, 203 })
            {
                var random = new SeededRandom((ulong)(n * 1000 + k));
                var a = new float[k];
                var b = new float[n * k];
                var c = new float[n];
                random.FillUniform(a, -1, 1);
                random.FillUniform(b, -1, 1);
                random.FillUniform(c, -1, 1);
                var expected = new double[n];
                for (int j = 0; j < n; j++)
                {
                    expected[j] = c[j];
                    for (int q = 0; q < k; q++) expected[j] += (double)a[q] * b[j * k + q];
                }

                fixed (float* pa = a, pb = b, pc = c) DotRows.AddTo(pa, k, pb, k, pc, n);

                for (int j = 0; j < n; j++)
                    Assert.True(Math.Abs(c[j] - expected[j]) <= 1e-6 * (k + 2), $"n={n} k={k}: c[{j}] = {c[j]}, expected {expected[j]}");
            }
    }
}
