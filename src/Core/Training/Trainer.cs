using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Training;

/// <summary>Options of one training step.</summary>
/// <param name="MaxGradientNorm">Clip the global gradient norm to this (0: no clipping).</param>
/// <param name="Regularizer">Extra gradient terms added after backward, before clipping (e.g. <see cref="AnchorRegularizer"/>).</param>
public sealed record TrainerOptions(float MaxGradientNorm = 0f, IGradientRegularizer? Regularizer = null);

/// <summary>
/// One mini-batch step for any network and loss: forward with dropout, loss, backward, regulariser,
/// clip, update, zero the gradients. Owns its workspace and gradient buffer, so a step allocates
/// nothing once warm.
/// </summary>
public sealed class Trainer<TBatch> where TBatch : struct, IBatch
{
    private readonly Workspace _workspace;
    private readonly TrainerOptions _options;
    private readonly PassContext _context;
    private float[] _dLogits = [];

    /// <param name="random">Draws the dropout masks.</param>
    /// <param name="loss">Softmax cross-entropy when not given.</param>
    public Trainer(Classifier<TBatch> model, Optimizer optimizer, SeededRandom random, TrainerOptions? options = null, ITrainingLoss? loss = null)
    {
        Model = model;
        Optimizer = optimizer;
        Loss = loss ?? new SoftmaxCrossEntropyLoss();
        Parameters = [.. model.Parameters, .. Loss.Parameters];
        _options = options ?? new TrainerOptions();
        _context = PassContext.Train(random);
        _workspace = model.CreateWorkspace(32);
    }

    public Classifier<TBatch> Model { get; }
    public Optimizer Optimizer { get; }
    public ITrainingLoss Loss { get; }

    /// <summary>Everything the step updates: the network's parameters, then the loss's.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Global gradient norm of the last step, before clipping (NaN without clipping).</summary>
    public double LastGradientNorm { get; private set; }

    /// <summary>Trains on one batch; returns its mean loss. Segments: see <see cref="ITrainingLoss"/>.</summary>
    public double Step(in TBatch batch, ReadOnlySpan<int> labels, ReadOnlySpan<int> segments = default)
    {
        int rows = batch.Rows, classes = Model.Classes;
        if (_dLogits.Length < rows * classes) _dLogits = new float[Math.Max(rows * classes, _dLogits.Length * 2)];
        var dLogits = _dLogits.AsSpan(0, rows * classes);

        var logits = Model.Forward(batch, _workspace, _context);
        double loss = Loss.ForwardBackward(logits, labels, segments, rows, classes, dLogits);
        Model.Backward(batch, dLogits, _workspace);
        _options.Regularizer?.AddGradients();

        LastGradientNorm = _options.MaxGradientNorm > 0
            ? GradientClipping.ClipByGlobalNorm(Parameters, _options.MaxGradientNorm)
            : double.NaN;
        Optimizer.Step(Parameters);
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
        return loss;
    }
}
