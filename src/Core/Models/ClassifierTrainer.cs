using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Models;

/// <summary>Options of one training step: clipping and label smoothing.</summary>
/// <param name="MaxGradientNorm">Clip the global gradient norm to this (0: no clipping).</param>
/// <param name="LabelSmoothing">Mass ε spread evenly over all classes in the target.</param>
public sealed record TrainerOptions(float MaxGradientNorm = 0f, float LabelSmoothing = 0f);

/// <summary>
/// One mini-batch step: forward with dropout, softmax cross-entropy, backward, clip, update.
/// Owns its workspace and gradient buffer, so a step allocates nothing once warm.
/// </summary>
public sealed class ClassifierTrainer<TBatch>(Classifier<TBatch> model, Optimizer optimizer, SeededRandom random, TrainerOptions? options = null)
    where TBatch : struct, IBatch
{
    private readonly Workspace _workspace = model.CreateWorkspace(32);
    private readonly TrainerOptions _options = options ?? new TrainerOptions();
    private float[] _dLogits = [];

    public Classifier<TBatch> Model { get; } = model;
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>Called after backward, before clipping and the update: a hook for extra gradient terms (e.g. anchoring).</summary>
    public Action? BeforeUpdate { get; init; }

    /// <summary>Global gradient norm of the last step, before clipping.</summary>
    public double LastGradientNorm { get; private set; }

    /// <summary>Trains on one batch; returns its mean loss.</summary>
    public float Step(in TBatch batch, ReadOnlySpan<int> labels)
    {
        int rows = batch.Rows, classes = Model.Classes;
        if (_dLogits.Length < rows * classes) _dLogits = new float[Math.Max(rows * classes, _dLogits.Length * 2)];
        var dLogits = _dLogits.AsSpan(0, rows * classes);

        var logits = Model.Forward(batch, _workspace, PassContext.Train(random));
        float loss = SoftmaxCrossEntropy.ForwardBackward(logits, labels, rows, classes, dLogits, _options.LabelSmoothing);
        Model.Backward(batch, dLogits, _workspace);
        BeforeUpdate?.Invoke();

        LastGradientNorm = _options.MaxGradientNorm > 0
            ? GradientClipping.ClipByGlobalNorm(Model.Parameters, _options.MaxGradientNorm)
            : double.NaN;
        Optimizer.Step(Model.Parameters);
        var parameters = Model.Parameters;
        for (int i = 0; i < parameters.Count; i++) parameters[i].ZeroGrad();
        return loss;
    }
}
