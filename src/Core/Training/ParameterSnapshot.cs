using ServeNet.Core.Tensors;

namespace ServeNet.Core.Training;

/// <summary>A copy of every parameter's values: the best epoch's weights, restored after early stopping.</summary>
public sealed class ParameterSnapshot(IReadOnlyList<Parameter> parameters)
{
    private readonly float[][] _values = parameters.Select(p => (float[])p.Value.Clone()).ToArray();

    public void Capture()
    {
        for (int i = 0; i < parameters.Count; i++) parameters[i].Value.CopyTo(_values[i], 0);
    }

    public void Restore()
    {
        for (int i = 0; i < parameters.Count; i++) _values[i].CopyTo(parameters[i].Value, 0);
    }
}
