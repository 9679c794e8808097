namespace ServeNet.Core.Layers;

/// <summary>An embedding table's shape: [Rows, Cols].</summary>
public sealed record TableSpec(string Name, int Rows, int Cols);

/// <summary>What an input layer is, without its weights (see <see cref="LayerSpec"/>).</summary>
/// <param name="SlotTables">For a concatenating window: the table each slot of a row looks up.</param>
public sealed record InputSpec(string Kind, string Name, int OutputSize, IReadOnlyList<TableSpec> Tables,
    IReadOnlyList<int>? SlotTables = null, float WordDropout = 0f);
