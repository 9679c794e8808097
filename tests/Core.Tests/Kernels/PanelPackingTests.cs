using ServeNet.Core.Kernels;

namespace ServeNet.Core.Tests.Kernels;

public sealed unsafe class PanelPackingTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void Rows_EveryDepthAndOffset_PacksEachValueAndWritesNothingPastThePanel(int rows)
    {
        if (!PanelPacking.IsSupported) return; // the element-by-element packing serves this CPU (tested with the kernels)
        const int lda = 53, guard = 16;
        var a = Enumerable.Range(0, rows * lda).Select(i => (float)i + 0.5f).ToArray();
        foreach (bool listed in new[] { false, true })
            for (int kc = 1; kc <= 41; kc++)
                foreach (int pc in new[] { 0, 3 })
                {
                    // A listed depth takes every other column (as the dead units of a ReLU leave gaps).
                    var depth = Enumerable.Range(0, pc + kc).Select(q => 2 * q % (lda - 1)).ToArray();
                    var panel = Enumerable.Repeat(float.NaN, kc * rows + guard).ToArray();
                    fixed (float* pa = a, pp = panel)
                    fixed (int* pd = depth)
                        PanelPacking.Rows(pa, lda, rows, listed ? pd : null, pc, kc, pp, rows);
                    for (int q = 0; q < kc; q++)
                        for (int i = 0; i < rows; i++)
                        {
                            int column = listed ? depth[pc + q] : pc + q;
                            Assert.Equal(a[i * lda + column], panel[q * rows + i]);
                        }
                    Assert.All(panel[(kc * rows)..], x => Assert.True(float.IsNaN(x), $"rows {rows}, kc {kc}: a value written past the panel"));
                }
    }

    [Theory]
    [InlineData(3, 8)]
    [InlineData(6, 6)]
    [InlineData(8, 8)]
    [InlineData(13, 16)]
    [InlineData(32, 32)]
    [InlineData(5, 32)]
    public void Pack_RowsIntoAWiderPanel_CopiesEachRowAndZeroesTheOtherColumns(int rows, int width)
    {
        const int lda = 41, kc = 23, pc = 2;
        var a = Enumerable.Range(0, rows * lda).Select(i => (float)i + 0.25f).ToArray();
        var depth = Enumerable.Range(0, pc + kc).Select(q => (3 * q) % lda).ToArray();
        foreach (bool listed in new[] { false, true })
        {
            var panel = Enumerable.Repeat(float.NaN, kc * width + 8).ToArray();
            fixed (float* pa = a, pp = panel)
            fixed (int* pd = depth)
                PanelPacking.Pack(pa, lda, rows, width, listed ? pd : null, pc, kc, pp);
            for (int q = 0; q < kc; q++)
                for (int i = 0; i < width; i++)
                    Assert.Equal(i < rows ? a[i * lda + (listed ? depth[pc + q] : pc + q)] : 0f, panel[q * width + i]);
            Assert.All(panel[(kc * width)..], x => Assert.True(float.IsNaN(x), "a value written past the panel"));
        }
    }

    [Fact]
    public void Rows_OtherRowCounts_AreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PanelPacking.Rows(null, 1, 4, null, 0, 1, null, 4));
}
