using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Models;

/// <summary>
/// An input layer, a stack of layers, and softmax over the last layer's outputs: the feed-forward
/// network (<see cref="DenseBatch"/> input), the Deep Averaging Network (<see cref="EmbeddingBag"/>)
/// and the window tagger (<see cref="ConcatEmbedding"/>) are all this shape. Parameters are shared
/// read-only by every caller; all per-call memory is in the <see cref="Workspace"/> passed in.
/// </summary>
public sealed class Classifier<TBatch> where TBatch : struct, IBatch
{
    private readonly int[] _activationSizes;
    private readonly int[] _statePerRow;

    public Classifier(IInputLayer<TBatch> input, IReadOnlyList<ILayer> layers)
    {
        int width = input.OutputSize;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].InputSize != width)
                throw new ArgumentException($"Layer {i} '{layers[i].Name}' takes {layers[i].InputSize} inputs but receives {width}.", nameof(layers));
            width = layers[i].OutputSize;
        }
        Input = input;
        Layers = layers.ToArray();
        Classes = width;
        Parameters = input.Parameters.Concat(layers.SelectMany(l => l.Parameters)).ToArray();
        _activationSizes = [input.OutputSize, .. layers.Select(l => l.OutputSize)];
        _statePerRow = layers.Select(l => l.StatePerRow).ToArray();
    }

    public IInputLayer<TBatch> Input { get; }
    public IReadOnlyList<ILayer> Layers { get; }
    public int Classes { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Draws initial weights; each layer gets its own stream so adding a layer does not reshuffle the others.</summary>
    public void Initialize(SeededRandom random)
    {
        Input.Initialize(random.Fork(0));
        for (int i = 0; i < Layers.Count; i++) Layers[i].Initialize(random.Fork((ulong)i + 1));
    }

    public Workspace CreateWorkspace(int rows = 1) => new(_activationSizes, _statePerRow, rows);

    /// <summary>
    /// The first layer after the input, dropout aside (the identity at inference), and its index, if it is dense: the layer
    /// an inference fast path can fold into the input (Sentiment/PrecomputedBagLayer, Ner/PrecomputedFirstLayer).
    /// </summary>
    public (Dense Layer, int Index)? FirstDenseLayer()
    {
        for (int i = 0; i < Layers.Count; i++)
        {
            switch (Layers[i])
            {
                case Dropout: continue;
                case Dense dense: return (dense, i);
                default: return null;
            }
        }
        return null;
    }

    /// <summary>Runs the network; returns the logits [rows, Classes], a view into the workspace.</summary>
    public Span<float> Forward(scoped in TBatch x, Workspace workspace, PassContext context)
    {
        int rows = x.Rows;
        workspace.EnsureCapacity(rows);
        Input.Forward(x, workspace.Activation(0, rows), workspace.Input, context);
        return ForwardLayers(rows, workspace, context);
    }

    /// <summary>
    /// Runs the layers after the input layer on rows the caller wrote into
    /// <c>workspace.Activation(0, rows)</c> (after <c>EnsureCapacity(rows)</c>); returns the logits.
    /// </summary>
    public Span<float> ForwardLayers(int rows, Workspace workspace, PassContext context) => ForwardFrom(0, rows, workspace, context);

    /// <summary>
    /// Runs layers <paramref name="firstLayer"/>.. on rows the caller wrote into
    /// <c>workspace.Activation(firstLayer, rows)</c> (the input of that layer); returns the logits.
    /// </summary>
    public Span<float> ForwardFrom(int firstLayer, int rows, Workspace workspace, PassContext context)
    {
        var x = workspace.Activation(firstLayer, rows);
        for (int i = firstLayer; i < Layers.Count; i++)
        {
            // Dropout is the identity in inference: the next layer reads its input where it is (no copy, no mask of ones;
            // the tagger's scores 0.93–0.94× the time without them). Backward follows training passes only, which run every layer.
            if (!context.Training && Layers[i].IsIdentityInInference) continue;
            var y = workspace.Activation(i + 1, rows);
            Layers[i].Forward(x, rows, y, workspace.State(i, rows), context);
            x = y;
        }
        return x;
    }

    /// <summary>Back-propagates dLogits [rows, Classes] from the last <see cref="Forward"/> on this workspace; adds into every gradient.</summary>
    public void Backward(in TBatch x, ReadOnlySpan<float> dLogits, Workspace workspace)
    {
        int rows = x.Rows;
        ReadOnlySpan<float> dY = dLogits;
        bool first = true;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            var layer = Layers[i];
            var dX = workspace.Gradient(first, rows * layer.InputSize);
            layer.Backward(workspace.Activation(i, rows), workspace.Activation(i + 1, rows), dY, rows, dX, workspace.State(i, rows));
            dY = dX;
            first = !first;
        }
        Input.Backward(x, dY, workspace.Input);
    }

    /// <summary>Softmax probabilities [rows, Classes] of an inference pass, a view into the workspace.</summary>
    public Span<float> PredictProbabilities(scoped in TBatch x, Workspace workspace)
    {
        var logits = Forward(x, workspace, PassContext.Inference);
        var probabilities = workspace.Probabilities(x.Rows);
        Softmax.Rows(logits, x.Rows, Classes, probabilities);
        return probabilities;
    }
}
