namespace ServeNet.Core.Models;

/// <summary>
/// A small lock-free pool of workspaces so concurrent inference calls never share buffers and,
/// once warm, never allocate. A burst beyond the pool's size creates extra workspaces that are
/// dropped on return.
/// </summary>
public sealed class WorkspacePool(Func<Workspace> create, int size = 0)
{
    private readonly Workspace?[] _slots = new Workspace?[size > 0 ? size : Environment.ProcessorCount * 2];

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
        for (int i = 0; i < _slots.Length; i++)
            if (Interlocked.CompareExchange(ref _slots[i], workspace, null) is null) return;
    }
}
