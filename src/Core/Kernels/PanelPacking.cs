using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// Packing six or eight rows of a matrix into as many columns of a micro-panel by 8×8 transposes in registers: eight
/// loads, 24 shuffles and eight stores per 64 values, where element by element each value is a load and a strided
/// store. Serves A's panels [kc, MR] (8 rows for the AVX-512 kernel, 6 for AVX2) and a transposed B's panels [kc, NR],
/// eight columns at a time. Packing A was a seventh of a 64×300×300 product's time element by element (AVX2: a twelfth).
/// </summary>
internal static unsafe class PanelPacking
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// panel[q·width + i] = a[i·lda + d(q)] for the <paramref name="rows"/> rows i at <paramref name="a"/> and q &lt; kc, and
    /// 0 for rows ≤ i &lt; width: rows of a matrix as the first columns of a panel <paramref name="width"/> wide (A's
    /// micro-panels, MR wide; a transposed B's, NR wide). d(q) is pc + q, or depth[pc + q] when listed. Eight rows at a
    /// time by <see cref="Rows"/> (six for a six-wide panel) where the CPU allows; the rest element by element.
    /// </summary>
    public static void Pack(float* a, nint lda, int rows, int width, int* depth, int pc, int kc, float* panel)
    {
        int i = 0;
        if (IsSupported)
        {
            if (rows == 6 && width == 6)
            {
                Rows(a, lda, 6, depth, pc, kc, panel, 6);
                i = 6;
            }
            for (; i + 8 <= rows; i += 8) Rows(a + i * lda, lda, 8, depth, pc, kc, panel + i, width);
        }
        for (; i < rows; i++)
        {
            float* src = a + i * lda;
            if (depth == null) for (int q = 0; q < kc; q++) panel[q * width + i] = src[pc + q];
            else for (int q = 0; q < kc; q++) panel[q * width + i] = src[depth[pc + q]];
        }
        for (; i < width; i++)
            for (int q = 0; q < kc; q++) panel[q * width + i] = 0f;
    }

    /// <summary>
    /// panel[q·stride + i] = a[i·lda + d(q)] for the <paramref name="rows"/> (6 or 8) rows i at <paramref name="a"/> and
    /// q &lt; kc, where d(q) is pc + q, or depth[pc + q] when listed (then the values are gathered, one index vector for
    /// all rows). With six rows and a stride under 8, each column's eight stored floats spill two into the next column's
    /// place, which that column's store then overwrites; the last column is left to the element loop, so no store
    /// reaches past the panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(float* a, nint lda, int rows, int* depth, int pc, int kc, float* panel, nint stride)
    {
        if (rows != 6 && rows != 8) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Six or eight rows.");
        float* r0 = a, r1 = a + lda, r2 = a + 2 * lda, r3 = a + 3 * lda, r4 = a + 4 * lda, r5 = a + 5 * lda;
        float* r6 = rows == 8 ? a + 6 * lda : null, r7 = rows == 8 ? a + 7 * lda : null;
        int q = 0, vectorEnd = stride < 8 ? kc - 1 : kc;
        for (; q + 8 <= vectorEnd; q += 8, panel += 8 * stride)
        {
            Vector256<float> x0, x1, x2, x3, x4, x5, x6 = default, x7 = default;
            if (depth == null)
            {
                int at = pc + q;
                x0 = Avx.LoadVector256(r0 + at); x1 = Avx.LoadVector256(r1 + at); x2 = Avx.LoadVector256(r2 + at);
                x3 = Avx.LoadVector256(r3 + at); x4 = Avx.LoadVector256(r4 + at); x5 = Avx.LoadVector256(r5 + at);
                if (rows == 8) (x6, x7) = (Avx.LoadVector256(r6 + at), Avx.LoadVector256(r7 + at));
            }
            else
            {
                var index = Avx.LoadVector256(depth + pc + q);
                x0 = Avx2.GatherVector256(r0, index, 4); x1 = Avx2.GatherVector256(r1, index, 4);
                x2 = Avx2.GatherVector256(r2, index, 4); x3 = Avx2.GatherVector256(r3, index, 4);
                x4 = Avx2.GatherVector256(r4, index, 4); x5 = Avx2.GatherVector256(r5, index, 4);
                if (rows == 8) (x6, x7) = (Avx2.GatherVector256(r6, index, 4), Avx2.GatherVector256(r7, index, 4));
            }
            // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves: column t of the 8×8 block in o_t.
            var t0 = Avx.UnpackLow(x0, x1); var t1 = Avx.UnpackHigh(x0, x1);
            var t2 = Avx.UnpackLow(x2, x3); var t3 = Avx.UnpackHigh(x2, x3);
            var t4 = Avx.UnpackLow(x4, x5); var t5 = Avx.UnpackHigh(x4, x5);
            var t6 = Avx.UnpackLow(x6, x7); var t7 = Avx.UnpackHigh(x6, x7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            // In column order: with six rows, each store's last two floats are the next store's to overwrite.
            Avx.Store(panel, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(panel + stride, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(panel + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(panel + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(panel + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(panel + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(panel + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(panel + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; q < kc; q++, panel += stride)
        {
            nint at = depth == null ? pc + q : depth[pc + q];
            panel[0] = r0[at]; panel[1] = r1[at]; panel[2] = r2[at]; panel[3] = r3[at]; panel[4] = r4[at]; panel[5] = r5[at];
            if (rows == 8) (panel[6], panel[7]) = (r6[at], r7[at]);
        }
    }
}
