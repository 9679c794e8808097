namespace ServeNet.Core.Checkpoints;

/// <summary>A named float32 tensor as stored in a checkpoint: row-major values of the given shape.</summary>
public sealed record Tensor(string Name, int[] Shape, float[] Values, TensorStorage Storage = TensorStorage.Float32)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
