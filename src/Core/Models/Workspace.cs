using ServeNet.Core.Layers;

namespace ServeNet.Core.Models;

/// <summary>
/// Everything one forward/backward pass writes: activations per layer, per-layer state, two
/// ping-pong gradient buffers and the input layer's scratch. One per thread or per call (rented
/// from a <see cref="WorkspacePool"/>); grows to the largest batch seen, then never allocates.
/// Each buffer is allocated on first use at the current capacity, so a pass allocates only what it
/// touches: an inference pass through the tagger's cached first layer never writes the input's
/// activations (1,850 floats a token) nor any gradient. A pool drops a workspace that grew beyond its
/// retained size instead of keeping it (see <see cref="Bytes"/>).
/// </summary>
public sealed class Workspace
{
    private readonly int[] _activationSizes; // per row: [input output, layer 0 output, ...]
    private readonly int[] _statePerRow;
    private readonly int _widest;
    private readonly float[][] _activations;
    private readonly float[][] _states;
    private float[] _gradientA = [], _gradientB = [], _probabilities = [];
    private long _rowBufferBytes;

    internal Workspace(int[] activationSizes, int[] statePerRow, int rows)
    {
        _activationSizes = activationSizes;
        _statePerRow = statePerRow;
        _widest = activationSizes.Max();
        _activations = new float[activationSizes.Length][];
        _states = new float[statePerRow.Length][];
        Array.Fill(_activations, []);
        Array.Fill(_states, []);
        EnsureCapacity(Math.Max(1, rows));
    }

    /// <summary>Rows the buffers hold without growing.</summary>
    public int Capacity { get; private set; }

    /// <summary>
    /// Bytes of the buffers allocated so far (activations, layer states, gradients, probabilities, the
    /// input layer's scratch): what keeping this workspace costs.
    /// </summary>
    public long Bytes => _rowBufferBytes + Input.Bytes;

    public InputScratch Input { get; } = new();

    /// <summary>Makes room for <paramref name="rows"/>; a growth drops every buffer, to be allocated again on first use.</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity) return;
        Capacity = Math.Max(rows, Capacity * 2);
        Array.Fill(_activations, []);
        Array.Fill(_states, []);
        _gradientA = _gradientB = _probabilities = [];
        _rowBufferBytes = 0;
    }

    /// <summary>Output of stage <paramref name="index"/> (0 = input layer): [rows, size].</summary>
    public Span<float> Activation(int index, int rows) =>
        Allocated(ref _activations[index], _activationSizes[index]).AsSpan(0, rows * _activationSizes[index]);

    internal Span<float> State(int layer, int rows) => Allocated(ref _states[layer], _statePerRow[layer]).AsSpan(0, rows * _statePerRow[layer]);

    internal Span<float> Gradient(bool first, int length) => (first ? Allocated(ref _gradientA, _widest) : Allocated(ref _gradientB, _widest)).AsSpan(0, length);

    public Span<float> Probabilities(int rows) => Allocated(ref _probabilities, _activationSizes[^1]).AsSpan(0, rows * _activationSizes[^1]);

    // The buffer at the current capacity, allocated now if it is not yet.
    private float[] Allocated(ref float[] buffer, int perRow)
    {
        int length = Capacity * perRow;
        if (buffer.Length < length)
        {
            buffer = new float[length];
            _rowBufferBytes += (long)length * sizeof(float);
        }
        return buffer;
    }
}
