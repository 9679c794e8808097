using ServeNet.Core.Kernels;

namespace ServeNet.Core.Tests.Kernels;

/// <summary>
/// The reference kernel, counting the products run on the thread that created it (tests run in
/// parallel, and other tests' products must not count). Made current with <c>KernelSet.Use</c>.
/// </summary>
internal sealed class CountingKernel : GemmKernel
{
    private readonly int _thread = Environment.CurrentManagedThreadId;

    public int Products { get; private set; }

    /// <summary>The shape (M rows, N columns) of every product counted, in order.</summary>
    public List<(int M, int N)> Shapes { get; } = [];
    public override string Name => "counting-reference";
    public override bool IsSupported => true;

    internal override void Run(in GemmProblem problem, int maxThreads)
    {
        if (Environment.CurrentManagedThreadId != _thread) { KernelSet.Reference.Run(problem, maxThreads); return; }
        Products++;
        Shapes.Add((problem.M, problem.N));
        KernelSet.Reference.Run(problem, maxThreads);
    }
}
