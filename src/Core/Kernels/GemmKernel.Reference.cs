namespace ServeNet.Core.Kernels;

/// <summary>
/// The naive triple loop, accumulated in double. Slow on purpose and kept forever: every fast
/// kernel is tested against it.
/// </summary>
public sealed class ReferenceGemmKernel : GemmKernel
{
    public override string Name => "reference";
    public override bool IsSupported => true;

    internal override unsafe void Run(in GemmProblem p, int maxThreads)
    {
        for (int i = 0; i < p.M; i++)
        {
            for (int j = 0; j < p.N; j++)
            {
                double sum = 0;
                for (int q = 0; q < p.K; q++) sum += (double)p.AAt(i, q) * p.BAt(q, j);
                float* cij = p.C + i * p.Ldc + j;
                *cij = p.Accumulate ? *cij + (float)sum : (float)sum;
            }
        }
        if (p.HasEpilogue) p.ApplyEpilogue(0, p.M, 0, p.N);
    }
}
