namespace ServeNet.Core.Tensors;

/// <summary>A batch of examples with a row count: what a model's input layer consumes.</summary>
public interface IBatch
{
    int Rows { get; }
}
