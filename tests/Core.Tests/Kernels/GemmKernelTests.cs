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
    public void Kernel_ManyRowsOnTwoThreads_GivesTheBitsOfOneThread(string name)
    {
        // From 2·2·MC rows the threads share each packed block of B, each over its own rows: every row's sums must be
        // those of one thread (two depth blocks, a tail of rows, B packed in either layout, C accumulated, or not and
        // with the bias and ReLU applied block by block).
        var kernel = Kernel(name);
        var blocking = kernel.Blocking!;
        int m = 4 * blocking.MC + 29, n = 300, k = blocking.KC + 88;
        var random = new SeededRandom(17);
        var a = new float[m * k];
        var b = new float[k * n];
        var bias = new float[n];
        var c0 = new float[m * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        random.FillUniform(bias, -1, 1);
        random.FillUniform(c0, -1, 1);
        foreach (bool transposeB in new[] { false, true })
            foreach (bool accumulate in new[] { false, true })
            {
                var epilogueBias = accumulate ? [] : bias;
                var activation = accumulate ? Activation.None : Activation.Relu;
                var oneThread = (float[])c0.Clone();
                kernel.Multiply(a, false, b, transposeB, oneThread, m, n, k, accumulate, epilogueBias, activation, maxThreads: 1);
                var twoThreads = (float[])c0.Clone();
                kernel.Multiply(a, false, b, transposeB, twoThreads, m, n, k, accumulate, epilogueBias, activation, maxThreads: 2);
                Assert.Equal(oneThread, twoThreads);
            }
        AssertMatchesReference(kernel, m, n, k, false, false, bias: true, activation: Activation.Relu, maxThreads: 2);
        AssertMatchesReference(kernel, m, n, k, false, true, accumulate: true, maxThreads: 2);
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_BatchOneAndNarrowOutputs_MatchReferenceOnEveryRowStrategy(string name)
    {
        // One row (batch-1 inference) and few rows with narrow outputs take the row kernel, whose
        // strategies switch on n ≤ 16 (narrow), k ≥ 200 (row sweep) and the column tails in between.
        var kernel = Kernel(name);
        foreach (int k in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 17, 31, 100, 199, 200, 201, 203, 300 })
        {
            foreach (int n in new[] { 1, 2, 3, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 129, 300 })
            {
                AssertMatchesReference(kernel, 1, n, k, false, false);
                AssertMatchesReference(kernel, 1, n, k, false, false, accumulate: true);
            }
        }
        foreach (int m in new[] { 2, 5, 7 })
        {
            AssertMatchesReference(kernel, m, 9, 300, false, false, accumulate: m == 5);
            AssertMatchesReference(kernel, m, 2, 300, true, false);
            AssertMatchesReference(kernel, m, 300, 300, false, false);
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_RowWithZeros_MatchesReferenceWhetherItsZerosAreSkippedOrNot(string name)
    {
        // A ReLU's output is about half zeros: one row then reads only the rows of B its nonzero entries multiply
        // (NonzeroRows), in passes of 1,024 entries; a pass with few zeros keeps the contiguous rows.
        var kernel = Kernel(name);
        foreach (float zeros in new[] { 0.05f, 0.3f, 0.4f, 0.5f, 0.95f, 1f })
            foreach (var (k, n) in new[] { (64, 16), (100, 33), (200, 300), (300, 300), (301, 17), (2500, 40) })
            {
                AssertMatchesReference(kernel, 1, n, k, false, false, zeroShare: zeros);
                AssertMatchesReference(kernel, 1, n, k, false, false, accumulate: true, zeroShare: zeros);
                AssertMatchesReference(kernel, 1, n, k, false, false, bias: true, activation: Activation.Relu, zeroShare: zeros);
                AssertMatchesReference(kernel, 1, n, k, true, false, zeroShare: zeros);
            }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_RowOfHalfZeros_NeverReadsTheRowsOfBItsZerosMultiply(string name)
    {
        // Rows of B under a zero of a hold infinities: read, they would make c NaN (0·∞); skipped, c is the product of the rest.
        var kernel = Kernel(name);
        foreach (var (k, n) in new[] { (300, 300), (200, 64), (64, 17), (1500, 32) })
        {
            var random = new SeededRandom((ulong)(k + n));
            var a = new float[k];
            var b = new float[k * n];
            random.FillUniform(a, -1, 1);
            random.FillUniform(b, -1, 1);
            var finite = (float[])b.Clone();
            for (int q = 0; q < k; q += 2)
            {
                a[q] = 0f;
                b.AsSpan(q * n, n).Fill(float.PositiveInfinity);
                finite.AsSpan(q * n, n).Clear();
            }
            var expected = new float[n];
            var actual = new float[n];
            KernelSet.Reference.Multiply(a, false, finite, false, expected, 1, n, k);
            kernel.Multiply(a, false, b, false, actual, 1, n, k);
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(actual[j] - expected[j]) <= 1e-4f, $"{name} k={k} n={n}: c[{j}] = {actual[j]}, expected {expected[j]}");
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_DepthZeroInEveryRow_MatchesReferenceWhetherItIsSkippedOrNot(string name)
    {
        // Depth indices zero in every row (ZeroDepth) are left out of the packed operands when enough of them are: around
        // each row count's threshold, with B packed or read in place, one depth block or several, both thread counts.
        var kernel = Kernel(name);
        foreach (float dead in new[] { 0.1f, 0.3f, 0.6f, 1f })
            foreach (int m in new[] { 8, 9, 16, 31, 32, 33, 64, 100 })
                foreach (var (k, n) in new[] { (64, 17), (100, 33), (300, 300), (512, 40), (600, 70) })
                {
                    AssertMatchesReference(kernel, m, n, k, false, false, zeroShare: 0.5f, deadShare: dead);
                    AssertMatchesReference(kernel, m, n, k, false, true, accumulate: true, zeroShare: 0.5f, deadShare: dead);
                    AssertMatchesReference(kernel, m, n, k, false, false, bias: true, activation: Activation.Relu, deadShare: dead, maxThreads: 2);
                }
        foreach (float dead in new[] { 0.3f, 1f })
            AssertMatchesReference(kernel, 260, 300, 300, false, false, accumulate: true, zeroShare: 0.5f, deadShare: dead, maxThreads: 2);
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_DepthZeroInEveryRow_NeverReadsTheRowsOfBItMultiplies(string name)
    {
        // The rows of B (columns, when B is stored transposed) under a depth index zero in every row of A hold infinities:
        // read, they would make C NaN (0·∞); skipped, C is the product of the rest. Depths up to one block of every kernel (256).
        var kernel = Kernel(name);
        foreach (var (m, k, n, transposeB) in new[] { (8, 256, 300, false), (32, 250, 300, false), (64, 200, 300, true), (100, 200, 64, false) })
        {
            var random = new SeededRandom((ulong)(m + k + n));
            var a = new float[m * k];
            var b = new float[k * n];
            random.FillUniform(a, -1, 1);
            random.FillUniform(b, -1, 1);
            var finite = (float[])b.Clone();
            for (int q = 0; q < k; q++)
            {
                if (q % 3 == 0) continue; // two thirds of the depth dead
                for (int i = 0; i < m; i++) a[i * k + q] = 0f;
                for (int j = 0; j < n; j++)
                {
                    int at = transposeB ? j * k + q : q * n + j;
                    b[at] = float.PositiveInfinity;
                    finite[at] = 0f;
                }
            }
            var expected = new float[m * n];
            var actual = new float[m * n];
            KernelSet.Reference.Multiply(a, false, finite, transposeB, expected, m, n, k);
            kernel.Multiply(a, false, b, transposeB, actual, m, n, k, maxThreads: 1);
            for (int i = 0; i < m * n; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4f, $"{name} {m}x{k}x{n}: c[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_AllZeroA_WritesTheEpilogueOrKeepsTheAccumulator(string name)
    {
        // Every depth index dead: no product at all, only C's start (0, or its own values when accumulating) and the epilogue.
        var kernel = Kernel(name);
        var a = new float[16 * 200];
        var b = Enumerable.Repeat(float.NaN, 200 * 40).ToArray();
        var bias = Enumerable.Range(0, 40).Select(j => j - 20f).ToArray();
        var c = Enumerable.Repeat(5f, 16 * 40).ToArray();
        kernel.Multiply(a, false, b, false, c, 16, 40, 200, accumulate: true);
        Assert.All(c, x => Assert.Equal(5f, x));
        kernel.Multiply(a, false, b, false, c, 16, 40, 200, bias: bias, activation: Activation.Relu);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 40; j++) Assert.Equal(Math.Max(0f, j - 20f), c[i * 40 + j]);
    }

    [Theory]
    [MemberData(nameof(FastKernels))]
    public void Kernel_TwoToSevenRows_MatchReferenceInEveryGroupOfFewRows(string name)
    {
        // Fewer rows than a register tile read B once per group of 2–4 rows (FewRows): every row count below
        // the tile, the 16-column strips and their tails, with and without accumulation, and the tagger's shape.
        var kernel = Kernel(name);
        foreach (int m in new[] { 2, 3, 4, 5, 6, 7 })
        {
            foreach (int n in new[] { 2, 9, 15, 16, 17, 31, 32, 47, 96, 97, 100, 193 })
                foreach (int k in new[] { 1, 3, 100 })
                {
                    AssertMatchesReference(kernel, m, n, k, false, false);
                    AssertMatchesReference(kernel, m, n, k, false, false, accumulate: true);
                }
            AssertMatchesReference(kernel, m, 1500, 100, false, false, accumulate: m % 2 == 0);
        }
    }

    [Fact]
    public unsafe void RowStrategies_CalledDirectly_MatchTheReferenceAcrossTheirThresholds()
    {
        // Each strategy on shapes the dispatch would not give it, where this CPU runs it.
        foreach (var (k, n) in new[] { (1, 16), (3, 16), (4, 17), (64, 128), (300, 300), (301, 47), (512, 16), (5, 384), (6, 385), (3, 1500) })
        {
            var random = new SeededRandom((ulong)(k * 7919 + n));
            var a = new float[k];
            var b = new float[k * n];
            random.FillUniform(a, -1, 1);
            random.FillUniform(b, -1, 1);
            var expected = new float[n];
            KernelSet.Reference.Multiply(a, false, b, false, expected, 1, n, k);
            var strategies = new List<(string Name, Action<IntPtr, IntPtr, IntPtr> Run)>
            {
                ("column blocks", (pa, pb, pc) => Avx2RowKernel.ColumnBlocks((float*)pa, k, (float*)pb, n, (float*)pc, n, false)),
            };
            if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && n <= 8)
                strategies.Add(("narrow 256", (pa, pb, pc) => NarrowRows.Run256((float*)pa, k, (float*)pb, n, (float*)pc, false)));
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                strategies.Add(("wide rows", (pa, pb, pc) => WideRows.Run<NonzeroRows.EveryRow>((float*)pa, null, k, (float*)pb, n, (float*)pc, n, false)));
                if (n <= 16) strategies.Add(("narrow 512", (pa, pb, pc) => NarrowRows.Run512((float*)pa, k, (float*)pb, n, (float*)pc, false)));
            }
            // The same strategies reading only the rows of B listed for the nonzero entries of a (here, every entry).
            var rows = Enumerable.Range(0, k).ToArray();
            strategies.Add(("column blocks, listed rows", (pa, pb, pc) =>
            {
                fixed (int* pr = rows) Avx2RowKernel.ColumnBlocks<NonzeroRows.ListedRows>((float*)pa, pr, k, (float*)pb, n, (float*)pc, n, false);
            }));
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
                strategies.Add(("wide rows, listed rows", (pa, pb, pc) =>
                {
                    fixed (int* pr = rows) WideRows.Run<NonzeroRows.ListedRows>((float*)pa, pr, k, (float*)pb, n, (float*)pc, n, false);
                }));
            foreach (var (strategy, run) in strategies)
            {
                var actual = new float[n];
                fixed (float* pa = a, pb = b, pc = actual) run((IntPtr)pa, (IntPtr)pb, (IntPtr)pc);
                for (int j = 0; j < n; j++)
                    Assert.True(Math.Abs(actual[j] - expected[j]) <= 2.4e-7f * (k + 2) * k, $"{strategy} k={k} n={n}: c[{j}] = {actual[j]}, reference {expected[j]}");
            }
        }
    }

    [Fact]
    public unsafe void NonzeroRowsList_WritesEveryNonzeroEntryWithItsRow_InOrder()
    {
        // Vector by vector where the CPU compresses (AVX-512), one by one after: −0 counts as zero, NaN as nonzero.
        foreach (int k in Enumerable.Range(0, 40).Concat(new[] { 300, 1023, 1024 }))
        {
            var random = new SeededRandom((ulong)k + 5);
            var a = new float[k];
            random.FillUniform(a, -1, 1);
            for (int q = 0; q < k; q++)
                a[q] = (q * 7 % 5) switch { 0 => 0f, 1 => -0f, 2 when q % 11 == 0 => float.NaN, _ => a[q] };
            var expected = Enumerable.Range(0, k).Where(q => a[q] != 0f).ToArray();
            var values = new float[k + NonzeroRows.Slack];
            var rows = new int[k + NonzeroRows.Slack];
            int count;
            fixed (float* pa = a, pv = values)
            fixed (int* pr = rows)
                count = NonzeroRows.List(pa, k, pv, pr);
            Assert.Equal(expected, rows.Take(count));
            Assert.Equal(expected.Select(q => a[q]), values.Take(count));
        }
    }

    [Fact]
    public unsafe void WideRowsAndColumnBlocks_SumInTheSameOrder_AndWriteNothingPastTheLastColumn()
    {
        // Every pass width and tail: the same sums, bit for bit, as the AVX2 kernel's column blocks (both add a[q]·B[q, j]
        // to c[j] in the order of q), from zero or from c, over every row or listed rows; a guard past c's end stays.
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return; // AVX-512 only; the CI run with it off tests the rest
        foreach (int n in new[] { 17, 31, 32, 33, 200, 300, 383, 384, 385, 767, 1500 })
            foreach (int k in new[] { 0, 1, 7, 100 })
                foreach (bool accumulate in new[] { false, true })
                    foreach (bool listed in new[] { false, true })
                    {
                        var random = new SeededRandom((ulong)(n * 131 + k));
                        var a = new float[k];
                        var b = new float[k * n];
                        random.FillUniform(a, -1, 1);
                        random.FillUniform(b, -1, 1);
                        var rows = Enumerable.Range(0, k).Where(q => q % 3 != 1).ToArray(); // every third row left out
                        var values = rows.Select(q => a[q]).ToArray();
                        var expected = new float[n + 16];
                        var actual = new float[n + 16];
                        random.FillUniform(expected, -1, 1);
                        expected.AsSpan(n).Fill(float.NaN);
                        expected.CopyTo(actual, 0);
                        fixed (float* pa = listed ? values : a, pb = b, pe = expected, pc = actual)
                        fixed (int* pr = rows)
                        {
                            int depth = listed ? rows.Length : k;
                            if (listed)
                            {
                                Avx2RowKernel.ColumnBlocks<NonzeroRows.ListedRows>(pa, pr, depth, pb, n, pe, n, accumulate);
                                WideRows.Run<NonzeroRows.ListedRows>(pa, pr, depth, pb, n, pc, n, accumulate);
                            }
                            else
                            {
                                Avx2RowKernel.ColumnBlocks(pa, depth, pb, n, pe, n, accumulate);
                                WideRows.Run<NonzeroRows.EveryRow>(pa, null, depth, pb, n, pc, n, accumulate);
                            }
                        }
                        for (int j = 0; j < n; j++)
                            Assert.True(BitConverter.SingleToInt32Bits(actual[j]) == BitConverter.SingleToInt32Bits(expected[j]),
                                $"n={n} k={k} accumulate={accumulate} listed={listed}: c[{j}] = {actual[j]}, column blocks {expected[j]}");
                        for (int j = n; j < n + 16; j++)
                        {
                            Assert.True(float.IsNaN(actual[j]), $"n={n} k={k}: c[{j}] past the end was written ({actual[j]})");
                            Assert.True(float.IsNaN(expected[j]), $"n={n} k={k}: the column blocks wrote c[{j}] past the end ({expected[j]})");
                        }
                    }
    }

    [Fact]
    public unsafe void WideRowsOfTwoToFourRows_SumEachRowAsOneRowDoes_AndLeaveTheGapsBetweenRowsAlone()
    {
        // Rows of A and C with strides wider than k and n: each row of a group gets the bits the one-row pass gives it
        // (the same sums in the same order), and nothing between or after the rows is written.
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return; // AVX-512 only; the CI run with it off tests the rest
        foreach (int m in new[] { 2, 3, 4 })
            foreach (int n in new[] { 17, 95, 96, 97, 128, 193, 300, 1500 })
                foreach (bool accumulate in new[] { false, true })
                {
                    const int k = 37, lda = k + 3;
                    int ldc = n + 5;
                    var random = new SeededRandom((ulong)(m * 1009 + n));
                    var a = new float[m * lda];
                    var b = new float[k * n];
                    random.FillUniform(a, -1, 1);
                    random.FillUniform(b, -1, 1);
                    var expected = new float[m * ldc + 16];
                    random.FillUniform(expected, -1, 1);
                    for (int r = 0; r < m; r++) expected.AsSpan(r * ldc + n, r + 1 < m ? ldc - n : 16 + ldc - n).Fill(float.NaN);
                    var actual = (float[])expected.Clone();
                    fixed (float* pa = a, pb = b, pe = expected, pc = actual)
                    {
                        for (int r = 0; r < m; r++) WideRows.Run<NonzeroRows.EveryRow>(pa + r * lda, null, k, pb, n, pe + r * ldc, n, accumulate);
                        switch (m)
                        {
                            case 2: WideRows.Rows<WideRows.N2>(pa, lda, k, pb, n, pc, ldc, n, accumulate); break;
                            case 3: WideRows.Rows<WideRows.N3>(pa, lda, k, pb, n, pc, ldc, n, accumulate); break;
                            default: WideRows.Rows<WideRows.N4>(pa, lda, k, pb, n, pc, ldc, n, accumulate); break;
                        }
                    }
                    for (int i = 0; i < actual.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]),
                            $"m={m} n={n} accumulate={accumulate}: element {i} (row {i / ldc}, column {i % ldc}) = {actual[i]}, row by row {expected[i]}");
                }
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public unsafe void NarrowRowsOfTwoToFourRows_SumEachRowAsOneRowDoes_AndLeaveTheGapsBetweenRowsAlone(int bits)
    {
        // A 2- or 9-label output layer over a batch: rows in groups, each row bit for bit what Run256 / Run512 gives it alone.
        if (bits == 512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return; // the CI run with AVX-512 off tests the rest
        int width = bits / 32, minDepth = bits == 256 ? 4 : 2;
        foreach (int m in new[] { 2, 3, 4 })
            foreach (int n in new[] { 1, 2, width - 1, width, 9 }.Where(n => n <= width).Distinct())
                foreach (int k in new[] { minDepth, minDepth + 1, 9, 300 })
                    foreach (bool accumulate in new[] { false, true })
                    {
                        int lda = k + 3, ldc = n + 5;
                        var random = new SeededRandom((ulong)(m * 7 + n * 131 + k + bits));
                        var a = new float[m * lda];
                        var b = new float[k * n];
                        random.FillUniform(a, -1, 1);
                        random.FillUniform(b, -1, 1);
                        var expected = new float[m * ldc];
                        random.FillUniform(expected, -1, 1);
                        for (int r = 0; r < m; r++) expected.AsSpan(r * ldc + n, ldc - n).Fill(float.NaN);
                        var actual = (float[])expected.Clone();
                        fixed (float* pa = a, pb = b, pe = expected, pc = actual)
                        {
                            for (int r = 0; r < m; r++)
                                if (bits == 256) NarrowRows.Run256(pa + r * lda, k, pb, n, pe + r * ldc, accumulate);
                                else NarrowRows.Run512(pa + r * lda, k, pb, n, pe + r * ldc, accumulate);
                            switch (m, bits)
                            {
                                case (2, 256): NarrowRows.Rows256<WideRows.N2>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                                case (3, 256): NarrowRows.Rows256<WideRows.N3>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                                case (4, 256): NarrowRows.Rows256<WideRows.N4>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                                case (2, _): NarrowRows.Rows512<WideRows.N2>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                                case (3, _): NarrowRows.Rows512<WideRows.N3>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                                default: NarrowRows.Rows512<WideRows.N4>(pa, lda, k, pb, n, pc, ldc, accumulate); break;
                            }
                        }
                        for (int i = 0; i < actual.Length; i++)
                            Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]),
                                $"{bits}-bit m={m} n={n} k={k} accumulate={accumulate}: element {i} (row {i / ldc}, column {i % ldc}) = {actual[i]}, row by row {expected[i]}");
                    }
    }

    [Fact]
    public void ShortRowTiles_GiveTheFirstRowsOfTheFullTile_BitForBit()
    {
        // A last row tile of at most ShortMR rows takes the short kernel: the same sums in the same order as the full tile's rows.
        if (Avx2MicroKernel.IsSupported) AssertShortTileMatchesFullTile<Avx2MicroKernel>();
        if (Avx512MicroKernel.IsSupported) AssertShortTileMatchesFullTile<Avx512MicroKernel>();
        AssertShortTileMatchesFullTile<PortableMicroKernel>();
    }

    private static unsafe void AssertShortTileMatchesFullTile<TMicro>() where TMicro : struct, IMicroKernel
    {
        int mr = TMicro.MR, nr = TMicro.NR, shortMr = TMicro.ShortMR;
        Assert.InRange(shortMr, 1, mr - 1);
        foreach (int kc in new[] { 1, 7, 300 })
            foreach (bool accumulate in new[] { false, true })
            {
                var random = new SeededRandom((ulong)(kc * 31 + mr));
                var a = new float[kc * mr];
                var b = new float[kc * nr];
                random.FillUniform(a, -1, 1);
                random.FillUniform(b, -1, 1);
                var full = new float[mr * nr];
                random.FillUniform(full, -1, 1);
                var shortTile = (float[])full.Clone();
                shortTile.AsSpan(shortMr * nr).Fill(float.NaN);
                fixed (float* pa = a, pb = b, pf = full, ps = shortTile)
                {
                    TMicro.Run(kc, pa, pb, nr, pf, nr, accumulate);
                    TMicro.RunShort(kc, pa, pb, nr, ps, nr, accumulate);
                }
                for (int i = 0; i < shortMr * nr; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(shortTile[i]) == BitConverter.SingleToInt32Bits(full[i]),
                        $"{typeof(TMicro).Name} kc={kc} accumulate={accumulate}: element {i} = {shortTile[i]}, full tile {full[i]}");
                Assert.All(shortTile[(shortMr * nr)..], v => Assert.True(float.IsNaN(v), $"{typeof(TMicro).Name} wrote past its {shortMr} rows"));
            }
    }

    [Fact]
    public unsafe void RemainderRowsOfTwoToFourRows_SumEachRowAsTheRowKernelDoes_AndLeaveTheGapsAlone()
    {
        // The last 1–16 columns of a group (a 9-label output layer; a 300- or 1500-wide product's last 12 columns, B's rows
        // wider than the columns taken): each row bit for bit what the AVX2 row kernel gives it alone, nothing else written.
        if (!System.Runtime.Intrinsics.X86.Avx.IsSupported) return;
        foreach (int m in new[] { 2, 3, 4 })
            foreach (int cols in new[] { 1, 7, 8, 9, 12, 15, 16 })
                foreach (int ldb in new[] { cols, cols + 288 })
                    foreach (int k in new[] { 1, 5, 300 })
                        foreach (bool accumulate in new[] { false, true })
                        {
                            int lda = k + 3, ldc = cols + 5;
                            var random = new SeededRandom((ulong)(m * 7 + cols * 131 + k + ldb));
                            var a = new float[m * lda];
                            var b = new float[k * ldb];
                            random.FillUniform(a, -1, 1);
                            random.FillUniform(b, -1, 1);
                            var expected = new float[m * ldc];
                            random.FillUniform(expected, -1, 1);
                            for (int r = 0; r < m; r++) expected.AsSpan(r * ldc + cols, ldc - cols).Fill(float.NaN);
                            var actual = (float[])expected.Clone();
                            fixed (float* pa = a, pb = b, pe = expected, pc = actual)
                            {
                                for (int r = 0; r < m; r++) Avx2RowKernel.ColumnBlocks(pa + r * lda, k, pb, ldb, pe + r * ldc, cols, accumulate);
                                switch (m)
                                {
                                    case 2: Avx2RowKernel.RemainderRows<WideRows.N2>(pa, lda, k, pb, ldb, pc, ldc, cols, accumulate); break;
                                    case 3: Avx2RowKernel.RemainderRows<WideRows.N3>(pa, lda, k, pb, ldb, pc, ldc, cols, accumulate); break;
                                    default: Avx2RowKernel.RemainderRows<WideRows.N4>(pa, lda, k, pb, ldb, pc, ldc, cols, accumulate); break;
                                }
                            }
                            for (int i = 0; i < actual.Length; i++)
                                Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]),
                                    $"m={m} cols={cols} ldb={ldb} k={k} accumulate={accumulate}: element {i} (row {i / ldc}, column {i % ldc}) = {actual[i]}, row by row {expected[i]}");
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
        bool accumulate = false, bool bias = false, Activation activation = Activation.None, int maxThreads = 1, float zeroShare = 0f,
        float deadShare = 0f)
    {
        var random = new SeededRandom((ulong)(m * 1_000_003 + n * 1009 + k));
        var a = new float[m * k];
        var b = new float[k * n];
        var biasValues = bias ? new float[n] : [];
        var c0 = new float[m * n];
        random.FillUniform(a, -1, 1);
        if (zeroShare > 0f) for (int i = 0; i < a.Length; i++) if (random.NextFloat() < zeroShare) a[i] = 0f;
        // Depth indices zero in every row of op(A), as a ReLU's dead units are.
        for (int q = 0; q < k && deadShare > 0f; q++)
            if (random.NextFloat() < deadShare)
                for (int i = 0; i < m; i++) a[transposeA ? q * m + i : i * k + q] = 0f;
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
