using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// Cache-blocked, packed matrix product around a register-tiled micro-kernel (the Goto/BLIS loop
/// nest: jc → pc → ic → jr → ir). Products with fewer rows or columns than a tile take a row-vector
/// path. On several threads, products with many rows pack each block of B once and split the rows
/// (one hand-off per block of B); smaller ones split into column (or row) stripes, each an
/// independent smaller product with no synchronisation inside.
/// </summary>
internal sealed unsafe class BlockedGemmKernel<TMicro, TRow> : GemmKernel where TMicro : struct, IMicroKernel where TRow : struct, IRowKernel
{
    // A transposed A row is gathered on the stack for the row-vector path; deeper ones take the packed path.
    private const int MaxGatheredDepth = 1024;

    [ThreadStatic] private static GemmScratch? t_scratch;

    private readonly string _name;

    public BlockedGemmKernel(string name, GemmBlocking blocking)
    {
        if (blocking.MC % TMicro.MR != 0 || blocking.NC % TMicro.NR != 0)
            throw new ArgumentException($"Blocking {blocking} must use multiples of MR={TMicro.MR} and NR={TMicro.NR}.");
        _name = name;
        Blocking = blocking;
    }

    internal override GemmBlocking Blocking { get; }
    public override string Name => _name;

    internal override GemmKernel WithBlocking(GemmBlocking blocking) => new BlockedGemmKernel<TMicro, TRow>(_name, blocking);
    public override bool IsSupported => TMicro.IsSupported;

    // A row of ones for SumRows: the row kernel's listed path with every value 1 adds the listed rows of B.
    private const int OnesPerPass = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal override void SumRows(float* table, nint ldt, int* rows, int count, float* c, int n, bool accumulate)
    {
        if (count == 0)
        {
            if (!accumulate) new Span<float>(c, n).Clear();
            return;
        }
        int perPass = Math.Min(count, OnesPerPass);
        float* ones = stackalloc float[perPass];
        new Span<float>(ones, perPass).Fill(1f);
        for (int q = 0; q < count; q += perPass)
        {
            TRow.RunListed(ones, rows + q, Math.Min(perPass, count - q), table, ldt, c, n, accumulate);
            accumulate = true;
        }
    }

    internal override void Run(in GemmProblem p, int maxThreads)
    {
        if ((p.M < TMicro.MR || p.N < TMicro.NR) && !p.TransposeB && (!p.TransposeA || p.K <= MaxGatheredDepth))
        {
            // Fewer rows or columns than one register tile (batch-1 inference, a 9-label output layer):
            // a tile would be mostly padding and packing would cost more than the product.
            RowsTimesMatrix(p);
            return;
        }
        // From ParallelFlops on, each thread takes at least half of it (the rule was a whole ParallelFlops each, which kept
        // products of 8–16 MFLOP such as 64×300×300 on one of two idle cores).
        long flops = 2L * p.M * p.N * p.K;
        int threads = flops < Blocking.ParallelFlops ? 1 : (int)Math.Min(maxThreads, Math.Max(2, 2 * flops / Blocking.ParallelFlops));
        bool packB = p.TransposeB || p.M > Blocking.SmallM;
        if (threads > 1 && packB && p.M >= threads * 2 * Blocking.MC)
        {
            // Many rows: pack each block of B once and let the threads share it, each over its own rows
            // (for fewer rows, packing B serially costs more than the duplicate A packing of column stripes).
            RunSerial(p, threads);
            return;
        }
        bool splitColumns = p.N >= threads * TMicro.NR * 2;
        if (!splitColumns) threads = Math.Min(threads, Math.Max(1, p.M / (2 * TMicro.MR)));
        if (threads <= 1)
        {
            RunSerial(p);
            return;
        }

        if (!GemmWorkers.TryRun(ParallelJob(p, threads, splitColumns), threads)) RunSerial(p);
    }

    // Kept out of Run: a closure there would be allocated on every call, even single-threaded ones.
    private Action<int> ParallelJob(GemmProblem problem, int parts, bool splitColumns) => part =>
    {
        int total = splitColumns ? problem.N : problem.M;
        int align = splitColumns ? TMicro.NR : TMicro.MR;
        int start = StripeStart(part, parts, total, align), end = StripeStart(part + 1, parts, total, align);
        if (end <= start) return;
        RunSerial(splitColumns
            ? problem.Slice(0, problem.M, start, end - start)
            : problem.Slice(start, end - start, 0, problem.N));
    };

    // Fewer rows or columns than a register tile: each row of C is a row-vector times B (A's row gathered if transposed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsTimesMatrix(in GemmProblem p)
    {
        float* gathered = stackalloc float[p.TransposeA ? p.K : 0];
        // Two or more rows read B once per group of 2–4 rather than once per row (a narrow output: as the row kernel has it).
        int i = p.TransposeA ? 0
            : p.N < FewRows.MinColumns ? TRow.RunNarrowRows(p.A, p.Lda, p.M, p.K, p.B, p.Ldb, p.C, p.Ldc, p.N, p.Accumulate)
            : FewRows.Run(p.A, p.Lda, p.M, p.K, p.B, p.Ldb, p.C, p.Ldc, p.N, p.Accumulate);
        for (; i < p.M; i++)
        {
            float* a = p.A + i * p.Lda;
            if (p.TransposeA)
            {
                for (int q = 0; q < p.K; q++) gathered[q] = p.A[q * p.Lda + i];
                a = gathered;
            }
            if (p.K >= NonzeroRows.MinDepth && p.N >= NonzeroRows.MinColumns) RowSkippingZeros(a, p.K, p.B, p.Ldb, p.C + i * p.Ldc, p.N, p.Accumulate);
            else TRow.Run(a, p.K, p.B, p.Ldb, p.C + i * p.Ldc, p.N, p.Accumulate);
        }
        if (p.HasEpilogue) p.ApplyEpilogue(0, p.M, 0, p.N);
    }

    // c (+)= a·B reading only the rows of B that the nonzero entries of a multiply when enough of a is zero for the row
    // kernel (a ReLU's output is about half zeros; a dense row keeps the contiguous rows), NonzeroRows.MaxPerPass entries per pass.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RowSkippingZeros(float* a, int k, float* b, nint ldb, float* c, int n, bool accumulate)
    {
        if (NonzeroRows.CountZeros(a, k) < TRow.ListFromZeros(k))
        {
            TRow.Run(a, k, b, ldb, c, n, accumulate);
            return;
        }
        int perPass = Math.Min(k, NonzeroRows.MaxPerPass);
        float* values = stackalloc float[perPass + NonzeroRows.Slack];
        int* rows = stackalloc int[perPass + NonzeroRows.Slack];
        for (int q = 0; q < k; q += perPass)
        {
            int depth = Math.Min(perPass, k - q);
            int count = NonzeroRows.List(a + q, depth, values, rows);
            TRow.RunListed(values, rows, count, b + q * ldb, ldb, c, n, accumulate);
            accumulate = true;
        }
    }

    // Stripe boundaries are multiples of the tile size so that only the last stripe has a tail.
    private static int StripeStart(int part, int parts, int total, int align)
    {
        if (part >= parts) return total;
        int tiles = (total + align - 1) / align;
        return Math.Min(total, (int)((long)tiles * part / parts) * align);
    }

    private GemmScratch Scratch()
    {
        int kcMax = Blocking.KC, mcMax = Blocking.MC, ncMax = Blocking.NC;
        var scratch = t_scratch;
        if (scratch is null || scratch.PackedALength < mcMax * kcMax || scratch.PackedBLength < kcMax * (ncMax + TMicro.NR)
            || scratch.DepthLength < kcMax)
            t_scratch = scratch = new GemmScratch(mcMax * kcMax, kcMax * (ncMax + TMicro.NR), TMicro.MR * TMicro.NR, kcMax);
        return scratch;
    }

    /// <summary>
    /// The loop nest over column blocks (jc) and depth blocks (pc), packing B once per block; the row
    /// blocks run on this thread, or, with threads &gt; 1, split into contiguous row ranges across the
    /// workers, all reading the same packed B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunSerial(in GemmProblem p, int threads = 1)
    {
        int nr = TMicro.NR, kcMax = Blocking.KC, ncMax = Blocking.NC;
        var scratch = Scratch();

        // Reading B in place avoids a packing pass that a few row tiles could never repay.
        bool packB = p.TransposeB || p.M > Blocking.SmallM;

        // Depth indices zero in every row of A (a ReLU's dead units) are left out of both packed operands. One depth
        // block only, so the products of the others are summed in the same order as without the skip. Where B would
        // be read in place, packing it costs about one row tile's product (MR rows): skipping a share z of the depth
        // pays from z·M > (1 − z)·MR, i.e. z > MR / (M + MR) (measured: a half at 8 rows, a fifth at 32).
        int* depth = null;
        int k = p.K;
        if (!p.TransposeA && p.K <= kcMax && p.K >= NonzeroRows.MinDepth)
        {
            int minZeros = packB ? p.K / 8 : p.K * TMicro.MR / (p.M + TMicro.MR);
            k = ZeroDepth.ListUsed(p.A, p.Lda, p.M, p.K, minZeros, scratch.Depth);
            if (k < p.K)
            {
                depth = scratch.Depth;
                packB = true;
            }
            if (k == 0)
            {
                p.WriteEmptyProduct();
                return;
            }
        }

        for (int jc = 0; jc < p.N; jc += ncMax)
        {
            int nc = Math.Min(ncMax, p.N - jc);
            int fullPanels = packB ? 0 : nc / nr;
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                if (packB) PackB(p, depth, pc, kc, jc, nc, scratch.PackedB);
                else if (fullPanels * nr < nc) PackB(p, depth, pc, kc, jc + fullPanels * nr, nc - fullPanels * nr, scratch.PackedB);
                var block = new Block(jc, nc, pc, kc, pc + kc == k, fullPanels, packB, scratch.PackedB, depth);
                if (threads <= 1 || !GemmWorkers.TryRun(SharedBJob(p, block, threads), threads))
                    ProcessRows(p, block, 0, p.M, scratch);
            }
        }
    }

    // One packed block of B: columns [Jc, Jc+Nc), depth [Pc, Pc+Kc) (of the listed depth indices, if Depth is set).
    private readonly struct Block(int jc, int nc, int pc, int kc, bool last, int fullPanels, bool packB, float* packedB, int* depth)
    {
        public readonly int Jc = jc, Nc = nc, Pc = pc, Kc = kc, FullPanels = fullPanels;
        public readonly bool Last = last, PackB = packB;
        public readonly float* PackedB = packedB;
        public readonly int* Depth = depth;
    }

    private Action<int> SharedBJob(GemmProblem problem, Block block, int parts) => part =>
    {
        int start = StripeStart(part, parts, problem.M, TMicro.MR), end = StripeStart(part + 1, parts, problem.M, TMicro.MR);
        if (end > start) ProcessRows(problem, block, start, end, Scratch());
    };

    // Rows [rowStart, rowEnd) of C against one packed block of B: pack A block by block, run the micro-tiles.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessRows(in GemmProblem p, Block block, int rowStart, int rowEnd, GemmScratch scratch)
    {
        int mr = TMicro.MR, nr = TMicro.NR, mcMax = Blocking.MC;
        int jc = block.Jc, nc = block.Nc, pc = block.Pc, kc = block.Kc, fullPanels = block.FullPanels;
        bool packB = block.PackB, accumulate = p.Accumulate || pc > 0;
        for (int ic = rowStart; ic < rowEnd; ic += mcMax)
        {
            int mc = Math.Min(mcMax, rowEnd - ic);
            PackA(p, block.Depth, ic, mc, pc, kc, scratch.PackedA);

            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                float* bPanel;
                nint bStride;
                if (packB) { bPanel = block.PackedB + (nint)jr * kc; bStride = nr; }
                else if (jr < fullPanels * nr) { bPanel = p.B + pc * p.Ldb + jc + jr; bStride = p.Ldb; }
                else { bPanel = block.PackedB; bStride = nr; }

                for (int ir = 0, rows, panel = 0; ir < mc; ir += rows, panel++)
                {
                    rows = TileRows(mc - ir);
                    float* aPanel = scratch.PackedA + (nint)panel * mr * kc;
                    float* c = p.C + (ic + ir) * p.Ldc + jc + jr;
                    if (rows == mr && cols == nr)
                    {
                        TMicro.Run(kc, aPanel, bPanel, bStride, c, p.Ldc, accumulate);
                    }
                    else if (rows == TMicro.ShortMR && cols == nr)
                    {
                        TMicro.RunShort(kc, aPanel, bPanel, bStride, c, p.Ldc, accumulate);
                    }
                    else
                    {
                        if (cols <= nr / 2) TMicro.RunHalf(kc, aPanel, bPanel, bStride, scratch.Tile, nr, false);
                        else if (rows <= TMicro.ShortMR) TMicro.RunShort(kc, aPanel, bPanel, bStride, scratch.Tile, nr, false);
                        else TMicro.Run(kc, aPanel, bPanel, bStride, scratch.Tile, nr, false);
                        StoreTail(scratch.Tile, nr, c, p.Ldc, rows, cols, accumulate);
                    }
                }
            }
            if (block.Last && p.HasEpilogue) p.ApplyEpilogue(ic, mc, jc, nc);
        }
    }

    private static void StoreTail(float* tile, nint ldt, float* c, nint ldc, int rows, int cols, bool accumulate)
    {
        for (int i = 0; i < rows; i++)
        {
            var src = new ReadOnlySpan<float>(tile + i * ldt, cols);
            var dst = new Span<float>(c + i * ldc, cols);
            if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            else src.CopyTo(dst);
        }
    }

    // Rows of the next register tile with `left` rows to go: MR, but MR + 1 to 2·ShortMR rows (7 or 8 on the AVX2 kernel)
    // are two short tiles rather than a full one and a short one: 8 cycles a step there instead of 10 (32 rows: 1.03–1.05× the
    // GFLOPS paired on Zen 3, 64 rows, unchanged, 0.995×).
    private static int TileRows(int left) => left > TMicro.MR && left <= 2 * TMicro.ShortMR ? TMicro.ShortMR : Math.Min(TMicro.MR, left);

    // dst: ceil(mc/MR) panels of [kc, MR], one per register tile (TileRows), rows past the tile's zero-filled; depth q of the
    // block is depth[pc + q] if listed.
    private static void PackA(in GemmProblem p, int* depth, int ic, int mc, int pc, int kc, float* dst)
    {
        int mr = TMicro.MR;
        for (int ir = 0, rows, index = 0; ir < mc; ir += rows, index++)
        {
            rows = TileRows(mc - ir);
            float* panel = dst + (nint)index * mr * kc;
            if (p.TransposeA)
            {
                // A stored [k, m]: MR consecutive values per k.
                float* src = p.A + (nint)pc * p.Lda + ic + ir;
                if (mr <= 8 && Avx.IsSupported)
                {
                    PackTransposedPanel(src, p.Lda, rows, mr, kc, panel);
                    continue;
                }
                for (int q = 0; q < kc; q++, src += p.Lda)
                {
                    int i = 0;
                    for (; i < rows; i++) panel[q * mr + i] = src[i];
                    for (; i < mr; i++) panel[q * mr + i] = 0f;
                }
            }
            else
            {
                // A stored [m, k]: its rows are the panel's columns.
                PanelPacking.Pack(p.A + (nint)(ic + ir) * p.Lda, p.Lda, rows, mr, depth, pc, kc, panel);
            }
        }
    }

    // A transposed A's panel of at most 8 rows (the weight gradient Aᵀ·B): one vector per depth, its rows past `rows` masked
    // to zero (a masked load never reads past them). A 6-row panel's store spills two floats into the next depth's place,
    // which that depth's store overwrites; the last depth is stored by element, so nothing is written past the panel.
    // Element by element, a 300×300×256 weight gradient on the AVX2 kernel took 1.05× the time (Zen 3).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedPanel(float* src, nint lda, int rows, int mr, int kc, float* panel)
    {
        var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(rows)).AsSingle();
        for (int q = 0; q < kc; q++, src += lda)
        {
            var values = rows == 8 ? Vector256.Load(src) : Avx.MaskLoad(src, mask);
            if (mr == 8 || q + 1 < kc) values.Store(panel + q * mr);
            else for (int i = 0; i < mr; i++) panel[q * mr + i] = values.GetElement(i);
        }
    }

    // dst: ceil(nc/NR) panels of [kc, NR], columns past nc zero-filled; depth q of the block is depth[pc + q] if listed.
    private static void PackB(in GemmProblem p, int* depth, int pc, int kc, int jc, int nc, float* dst)
    {
        int nr = TMicro.NR;
        int jr = 0;
        if (!p.TransposeB)
        {
            PackFullPanelsByRow(p.B + jc, p.Ldb, depth, pc, kc, nc / nr, dst);
            jr = nc / nr * nr;
        }
        for (; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (nint)jr * kc;
            if (p.TransposeB)
            {
                // B stored [n, k]: its rows are the panel's columns.
                PanelPacking.Pack(p.B + (nint)(jc + jr) * p.Ldb, p.Ldb, cols, nr, depth, pc, kc, panel);
            }
            else
            {
                // The tail panel of B stored [k, n] (the full ones are packed above): its columns per k, then zeros.
                float* origin = p.B + jc + jr;
                if (nr % 16 == 0 && Vector512.IsHardwareAccelerated)
                {
                    PackTailPanel512(origin, p.Ldb, depth, pc, kc, cols, nr, panel);
                    continue;
                }
                for (int q = 0; q < kc; q++)
                {
                    float* src = origin + (depth == null ? pc + q : depth[pc + q]) * p.Ldb, row = panel + q * nr;
                    int j = 0;
                    for (; j + 8 <= cols; j += 8) Vector256.Store(Vector256.Load(src + j), row + j);
                    // Without AVX-512: the rest by element, then zeros by vector.
                    for (; j < cols; j++) row[j] = src[j];
                    for (; j < nr && j % 8 != 0; j++) row[j] = 0f;
                    for (; j < nr; j += 8) Vector256.Store(Vector256<float>.Zero, row + j);
                }
            }
        }
    }

    // The full panels of B stored [k, n], one row of B at a time: its NR-wide pieces go to their panels. Walked panel by
    // panel instead, B was read a few cache lines a row, a row's length apart — over a matrix that the layer before had
    // pushed out to L3 (the DAN's 300×300 layers at 64 rows: packing took a third as long as the micro-kernel).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackFullPanelsByRow(float* b, nint ldb, int* depth, int pc, int kc, int panels, float* dst)
    {
        int nr = TMicro.NR;
        nint panelStride = (nint)kc * nr;
        for (int q = 0; q < kc; q++)
        {
            float* src = b + (depth == null ? pc + q : depth[pc + q]) * ldb, row = dst + q * nr;
            for (int panel = 0; panel < panels; panel++, src += nr, row += panelStride)
            {
                if (nr % 16 == 0 && Vector512.IsHardwareAccelerated)
                    for (int j = 0; j < nr; j += 16) Vector512.Store(Vector512.Load(src + j), row + j);
                else
                    for (int j = 0; j < nr; j += 8) Vector256.Store(Vector256.Load(src + j), row + j);
            }
        }
    }

    // A tail panel (the last 12 columns of a 300-wide B, read in place otherwise): whole vectors, the last one masked
    // (a masked load never reads past the row), zeros after — a few instructions a row instead of an element loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTailPanel512(float* origin, nint ldb, int* depth, int pc, int kc, int cols, int nr, float* panel)
    {
        int whole = cols / 16 * 16;
        var last = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - whole)).AsSingle();
        for (int q = 0; q < kc; q++)
        {
            float* src = origin + (depth == null ? pc + q : depth[pc + q]) * ldb, row = panel + q * nr;
            int j = 0;
            for (; j < whole; j += 16) Vector512.Store(Vector512.Load(src + j), row + j);
            if (j < cols)
            {
                Avx512F.MaskLoad(src + j, last, Vector512<float>.Zero).Store(row + j);
                j += 16;
            }
            for (; j < nr; j += 16) Vector512<float>.Zero.Store(row + j);
        }
    }
}
