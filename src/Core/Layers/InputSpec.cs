namespace ServeNet.Core.Layers;

/// <summary>An embedding table's shape: [Rows, Cols].</summary>
public sealed record TableSpec(string Name, int Rows, int Cols);

/// <summary>What an input layer is, without its weights (see <see cref="LayerSpec"/>).</summary>
/// <param name="SlotTables">For a concatenating window: the table each slot of a row looks up.</param>
/// <param name="SlotGroups">For a concatenating window: the group of each slot (consecutive slots of a group are
/// averaged, e.g. character n-grams); null when every slot is its own group.</param>
public sealed record InputSpec(string Kind, string Name, int OutputSize, IReadOnlyList<TableSpec> Tables,
    IReadOnlyList<int>? SlotTables = null, float WordDropout = 0f, IReadOnlyList<int>? SlotGroups = null);
