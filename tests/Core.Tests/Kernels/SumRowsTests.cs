using ServeNet.Core.Kernels;

namespace ServeNet.Core.Tests.Kernels;

public class SumRowsTests
{
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in KernelSet.All.Where(k => k.IsSupported)) data.Add(kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void SumRows_EveryWidthAndCount_EqualsAddingTheRowsOneByOneBitForBit(string name)
    {
        // Widths around every pass and mask boundary of the row kernels; counts past one pass of ones (256); repeated rows.
        var random = new Random(11);
        using var _ = KernelSet.Use(KernelSet.All.Single(k => k.Name == name));
        foreach (int width in new[] { 1, 7, 8, 15, 16, 17, 31, 33, 64, 65, 100, 200, 300, 385 })
        {
            var table = Enumerable.Range(0, 40 * width).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            foreach (int count in new[] { 0, 1, 2, 5, 19, 256, 300 })
            {
                var rows = Enumerable.Range(0, count).Select(_ => random.Next(40)).ToArray();
                foreach (bool accumulate in new[] { false, true })
                {
                    var start = Enumerable.Range(0, width).Select(_ => random.NextSingle()).ToArray();
                    var expected = accumulate ? (float[])start.Clone() : new float[width];
                    foreach (int row in rows)
                        for (int j = 0; j < width; j++) expected[j] += table[row * width + j];
                    var buffer = start.Concat(Enumerable.Repeat(7f, 5)).ToArray();
                    MatMul.SumRows(table, width, rows, buffer.AsSpan(0, width), accumulate);
                    Assert.Equal(expected, buffer[..width]);
                    Assert.All(buffer[width..], v => Assert.Equal(7f, v)); // nothing written past the sum
                }
            }
        }
    }

    [Fact]
    public void SumRows_ARowOutsideTheTable_IsRefusedBeforeAnythingIsRead()
    {
        var table = new float[3 * 4];
        var sum = new float[4];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.SumRows(table, 4, [0, 3], sum));
        Assert.Contains("3 rows", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.SumRows(table, 4, [-1], sum));
        Assert.Throws<ArgumentException>(() => MatMul.SumRows(table, 4, [0], new float[5]));
    }
}
