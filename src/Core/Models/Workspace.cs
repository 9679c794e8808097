using ServeNet.Core.Layers;

namespace ServeNet.Core.Models;

/// <summary>
/// Everything one forward/backward pass writes: activations per layer, per-layer state, two
/// ping-pong gradient buffers and the input layer's scratch. One per thread or per call (rented
/// from a <see cref="WorkspacePool"/>); grows to the largest batch seen, then never allocates.
/// A pool drops a workspace that grew beyond its retained size instead of keeping it (see <see cref="Bytes"/>).
/// </summary>
public sealed class Workspace
{
    private readonly int[] _activationSizes; // per row: [input output, layer 0 output, ...]
    private readonly int[] _statePerRow;
    private readonly float[][] _activations;
    private readonly float[][] _states;
    private float[] _gradientA = [], _gradientB = [], _probabilities = [];

    internal Workspace(int[] activationSizes, int[] statePerRow, int rows)
    {
        _activationSizes = activationSizes;
        _statePerRow = statePerRow;
        _activations = new float[activationSizes.Length][];
        _states = new float[statePerRow.Length][];
        Array.Fill(_activations, []);
        Array.Fill(_states, []);
        EnsureCapacity(Math.Max(1, rows));
    }

    /// <summary>Rows the buffers hold without growing.</summary>
    public int Capacity { get; private set; }

    /// <summary>Bytes of the row buffers (activations, layer states, gradients, probabilities): what keeping this workspace costs.</summary>
    public long Bytes { get; private set; }

    public InputScratch Input { get; } = new();

    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity) return;
        int capacity = Math.Max(rows, Capacity * 2);
        int widest = 0;
        for (int i = 0; i < _activationSizes.Length; i++)
        {
            _activations[i] = new float[capacity * _activationSizes[i]];
            widest = Math.Max(widest, _activationSizes[i]);
        }
        for (int i = 0; i < _statePerRow.Length; i++) _states[i] = new float[capacity * _statePerRow[i]];
        _gradientA = new float[capacity * widest];
        _gradientB = new float[capacity * widest];
        _probabilities = new float[capacity * _activationSizes[^1]];
        Capacity = capacity;
        long floats = _gradientA.LongLength + _gradientB.LongLength + _probabilities.LongLength;
        foreach (var buffer in _activations) floats += buffer.LongLength;
        foreach (var buffer in _states) floats += buffer.LongLength;
        Bytes = floats * sizeof(float);
    }

    /// <summary>Output of stage <paramref name="index"/> (0 = input layer): [rows, size].</summary>
    public Span<float> Activation(int index, int rows) => _activations[index].AsSpan(0, rows * _activationSizes[index]);

    internal Span<float> State(int layer, int rows) => _states[layer].AsSpan(0, rows * _statePerRow[layer]);

    internal Span<float> Gradient(bool first, int length) => (first ? _gradientA : _gradientB).AsSpan(0, length);

    public Span<float> Probabilities(int rows) => _probabilities.AsSpan(0, rows * _activationSizes[^1]);
}
