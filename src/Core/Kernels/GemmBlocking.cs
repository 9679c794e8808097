namespace ServeNet.Core.Kernels;

/// <summary>
/// Cache-blocking sizes of the blocked product (Goto/BLIS loop nest). KC·NR floats of packed B
/// stay in L1 across a row of micro-tiles, MC·KC floats of packed A stay in L2, KC·NC of B in L3.
/// </summary>
/// <param name="KC">Depth of one packed block (the shared dimension k).</param>
/// <param name="MC">Rows of A packed at once; a multiple of the micro-kernel's MR.</param>
/// <param name="NC">Columns of B packed at once; a multiple of the micro-kernel's NR.</param>
/// <param name="SmallM">At or below this many rows, B (not transposed) is read in place instead of packed:
/// packing costs one pass over B, more than it saves when B is reused only a few times.</param>
/// <param name="ParallelFlops">Products under this many floating-point operations stay on one thread.</param>
public sealed record GemmBlocking(int KC, int MC, int NC, int SmallM, long ParallelFlops);
