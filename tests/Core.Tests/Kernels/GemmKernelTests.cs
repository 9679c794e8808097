using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Kernels;

public class GemmKernelTests
{
    public static TheoryData<string> FastKernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in KernelSet.All.Where(k => k != KernelSet.Reference && k.IsSupported)) data.Add(kernel.Name);
        return data;
    }

    private static GemmKernel Kernel(string name) => KernelSet.All.Single(k => k.Name == name);

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_EverySizeFrom1To67InEachDimension_MatchesReference(string name)
    {
        var kernel = Kernel(name);
        foreach (var (ta, tb) in TransposeCases)
        {
            for (int size = 1; size <= 67; size++)
            {
                AssertMatchesReference(kernel, size, 37, 29, ta, tb);
                AssertMatchesReference(kernel, 19, size, 41, ta, tb);
                AssertMatchesReference(kernel, 23, 35, size, ta, tb);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_SeededRandomShapes_MatchReference(string name)
    {
        var kernel = Kernel(name);
        var random = new SeededRandom(2024);
        for (int i = 0; i < 150; i++)
        {
            var (ta, tb) = TransposeCases[random.NextInt(TransposeCases.Length)];
            AssertMatchesReference(kernel, 1 + random.NextInt(67), 1 + random.NextInt(67), 1 + random.NextInt(67), ta, tb,
                accumulate: random.NextInt(2) == 1);
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_LargeShapesCrossingEveryBlockOnTwoThreads_MatchReference(string name)
    {
        var kernel = Kernel(name);
        foreach (var (ta, tb) in TransposeCases)
        {
            AssertMatchesReference(kernel, 301, 197, 613, ta, tb, maxThreads: 2);
            AssertMatchesReference(kernel, 7, 3100, 300, ta, tb, maxThreads: 2);
            AssertMatchesReference(kernel, 260, 40, 520, ta, tb, accumulate: true, maxThreads: 2);
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_FusedBiasAndActivation_MatchesReference(string name)
    {
        var kernel = Kernel(name);
        foreach (var activation in Enum.GetValues<Activation>())
        {
            AssertMatchesReference(kernel, 1, 300, 100, false, false, bias: true, activation: activation);
            AssertMatchesReference(kernel, 45, 67, 300, false, false, bias: true, activation: activation);
            AssertMatchesReference(kernel, 150, 300, 280, false, true, bias: false, activation: activation, maxThreads: 2);
        }
    }

    [Fact]
    public void Multiply_TooShortOperand_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            KernelSet.Current.Multiply(new float[5], false, new float[6], false, new float[6], 2, 3, 3));
        Assert.Contains("[m=2, k=3]", error.Message);
    }

    [Fact]
    public void Multiply_ZeroDepth_WritesZerosOrKeepsAccumulator()
    {
        var c = new float[] { 1, 2, 3, 4 };
        KernelSet.Current.Multiply([], false, [], false, c, 2, 2, 0, accumulate: true);
        Assert.Equal([1, 2, 3, 4], c);
        KernelSet.Current.Multiply([], false, [], false, c, 2, 2, 0);
        Assert.Equal([0, 0, 0, 0], c);
    }

    [Fact]
    public void Choose_ForcedUnknownKernel_ThrowsListingTheKnownOnes()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KernelSet.Choose("sse9"));
        Assert.Contains("reference", error.Message);
        Assert.Equal("reference", KernelSet.Choose("Reference").Name);
    }

    private static readonly (bool, bool)[] TransposeCases = [(false, false), (false, true), (true, false), (true, true)];

    private static void AssertMatchesReference(GemmKernel kernel, int m, int n, int k, bool transposeA, bool transposeB,
        bool accumulate = false, bool bias = false, Activation activation = Activation.None, int maxThreads = 1)
    {
        var random = new SeededRandom((ulong)(m * 1_000_003 + n * 1009 + k));
        var a = new float[m * k];
        var b = new float[k * n];
        var biasValues = bias ? new float[n] : [];
        var c0 = new float[m * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        random.FillUniform(biasValues, -1, 1);
        random.FillUniform(c0, -1, 1);

        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        KernelSet.Reference.Multiply(a, transposeA, b, transposeB, expected, m, n, k, accumulate, biasValues, activation);
        kernel.Multiply(a, transposeA, b, transposeB, actual, m, n, k, accumulate, biasValues, activation, maxThreads);

        // Rounding error of a length-k float dot product is bounded by k·ε·Σ|a·b|.
        var magnitude = new float[m * n];
        KernelSet.Reference.Multiply(a.Select(Math.Abs).ToArray(), transposeA, b.Select(Math.Abs).ToArray(), transposeB,
            magnitude, m, n, k);
        for (int i = 0; i < actual.Length; i++)
        {
            float tolerance = 2f * (k + 2) * 1.2e-7f * (magnitude[i] + 2f);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"{kernel.Name} m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB} " +
                            $"accumulate={accumulate} activation={activation}: C[{i / n},{i % n}] = {actual[i]}, " +
                            $"reference {expected[i]}, tolerance {tolerance}");
        }
    }
}
