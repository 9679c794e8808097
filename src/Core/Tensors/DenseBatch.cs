namespace ServeNet.Core.Tensors;

/// <summary>A batch of dense feature rows: values [rows, width].</summary>
public readonly struct DenseBatch(ReadOnlyMemory<float> values, int rows) : IBatch
{
    public ReadOnlyMemory<float> Values { get; } = values;
    public int Rows { get; } = rows;
}
