namespace ServeNet.Core.Kernels;

/// <summary>
/// One product C[M,N] (+)= op(A)[M,K]·op(B)[K,N] over raw row-major storage with leading
/// dimensions, so that a thread's share of the work is just another, smaller problem.
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public readonly float* A, B, C, Bias;
    public readonly nint Lda, Ldb, Ldc;
    public readonly bool TransposeA, TransposeB, Accumulate;
    public readonly int M, N, K;
    public readonly Activation Activation;

    public GemmProblem(float* a, nint lda, bool transposeA, float* b, nint ldb, bool transposeB,
        float* c, nint ldc, int m, int n, int k, bool accumulate, float* bias, Activation activation)
    {
        A = a; Lda = lda; TransposeA = transposeA;
        B = b; Ldb = ldb; TransposeB = transposeB;
        C = c; Ldc = ldc; M = m; N = n; K = k;
        Accumulate = accumulate; Bias = bias; Activation = activation;
    }

    public bool HasEpilogue => Bias != null || Activation != Activation.None;

    /// <summary>op(A)[i, p].</summary>
    public float AAt(nint i, nint p) => TransposeA ? A[p * Lda + i] : A[i * Lda + p];

    /// <summary>op(B)[p, j].</summary>
    public float BAt(nint p, nint j) => TransposeB ? B[j * Ldb + p] : B[p * Ldb + j];

    /// <summary>The block of C at rows [row, row+rows), columns [col, col+cols).</summary>
    public GemmProblem Slice(int row, int rows, int col, int cols) => new(
        TransposeA ? A + row : A + row * Lda, Lda, TransposeA,
        TransposeB ? B + col * Ldb : B + col, Ldb, TransposeB,
        C + row * Ldc + col, Ldc, rows, cols, K, Accumulate,
        Bias == null ? null : Bias + col, Activation);

    /// <summary>
    /// C as a product with nothing to sum (depth 0, or every depth index of A zero) leaves it: zeros, or C itself when
    /// accumulating, then the bias and activation.
    /// </summary>
    public void WriteEmptyProduct()
    {
        if (!Accumulate) for (int i = 0; i < M; i++) new Span<float>(C + i * Ldc, N).Clear();
        if (HasEpilogue) ApplyEpilogue(0, M, 0, N);
    }

    /// <summary>Adds the bias and applies the activation to rows [row, row+rows) of C, columns [col, col+cols).</summary>
    public void ApplyEpilogue(int row, int rows, int col, int cols)
    {
        for (int i = row; i < row + rows; i++)
        {
            var cRow = new Span<float>(C + i * Ldc + col, cols);
            if (Bias != null)
                System.Numerics.Tensors.TensorPrimitives.Add(cRow, new ReadOnlySpan<float>(Bias + col, cols), cRow);
            ActivationFunctions.Apply(Activation, cRow);
        }
    }
}
