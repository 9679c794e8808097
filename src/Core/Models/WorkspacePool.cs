namespace ServeNet.Core.Models;

/// <summary>
/// A small lock-free pool of workspaces so concurrent inference calls never share buffers and,
/// once warm, never allocate. A burst beyond the pool's size creates extra workspaces that are
/// dropped on return, and so is a workspace that grew beyond <see cref="MaxRetainedBytes"/> (one
/// huge request must not pin its buffers for the life of the process): the GC takes them back.
/// </summary>
/// <param name="size">Workspaces kept; 0: twice the processor count.</param>
/// <param name="maxRetainedBytes">Largest workspace (<see cref="Workspace.Bytes"/>) kept for reuse.</param>
public sealed class WorkspacePool(Func<Workspace> create, int size = 0, long maxRetainedBytes = WorkspacePool.DefaultMaxRetainedBytes)
{
    /// <summary>16 MiB: far above what the serving paths grow a workspace to (they run in passes of bounded rows).</summary>
    public const long DefaultMaxRetainedBytes = 16L << 20;

    private readonly Workspace?[] _slots = new Workspace?[size > 0 ? size : Environment.ProcessorCount * 2];

    public long MaxRetainedBytes { get; } = maxRetainedBytes;

    /// <summary>Bytes held by the workspaces waiting in the pool now.</summary>
    public long RetainedBytes
    {
        get
        {
            long bytes = 0;
            for (int i = 0; i < _slots.Length; i++) bytes += Volatile.Read(ref _slots[i])?.Bytes ?? 0;
            return bytes;
        }
    }

    public Workspace Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            var item = _slots[i];
            if (item is not null && Interlocked.CompareExchange(ref _slots[i], null, item) == item) return item;
        }
        return create();
    }

    public void Return(Workspace workspace)
    {
        if (workspace.Bytes > MaxRetainedBytes) return;
        for (int i = 0; i < _slots.Length; i++)
            if (Interlocked.CompareExchange(ref _slots[i], workspace, null) is null) return;
    }
}
