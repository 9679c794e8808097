using System.Diagnostics.CodeAnalysis;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>
/// Everything that determines a sentiment training run (and so its checkpoint). The defaults are the
/// configuration of the shipped models/sentiment.ckpt (see models/sentiment.md for how each was chosen).
/// </summary>
public sealed record SentimentTrainingSettings : TrainingSettings
{
    [SetsRequiredMembers]
    public SentimentTrainingSettings()
    {
        DataDirectory = "../shared/data/sst";
        Output = "models/sentiment.ckpt";
        BatchSize = 32;
        LearningRate = 1e-3f;
        Hidden = [300, 300];
        Dropout = 0.3f;
        WordDropout = 0.3f;
        EmbeddingRateScale = 0.3f;
        Patience = 6;
        Name = "sentiment";
    }

    /// <summary>Keep the embeddings frozen for this many first epochs, then fine-tune them.</summary>
    public int FreezeEpochs { get; init; }
    /// <summary>L2 pull of fine-tuned embedding rows back towards their GloVe values: grad += λ·(w − w₀).</summary>
    public float EmbeddingAnchor { get; init; }
    /// <summary>1: average words; 2: average words and training bigrams seen at least <see cref="BigramMinCount"/> times.</summary>
    public int Ngrams { get; init; } = 1;
    public int BigramMinCount { get; init; } = 2;
    /// <summary>SST phrase labels (phrases.tsv) added to the training sentences; null: sentences only.</summary>
    public string? Phrases { get; init; }
    /// <summary>Give words inside a negation scope their own "not_" embeddings (initialised from the word).</summary>
    public bool NegationScope { get; init; } = true;
}
