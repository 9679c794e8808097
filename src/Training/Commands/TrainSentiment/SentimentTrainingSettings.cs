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
        BatchSize = 32;
        LearningRate = 1e-3f;
        Hidden = [300, 300];
        Dropout = 0.3f;
        WordDropout = 0.3f;
        EmbeddingRateScale = 0.3f;
        Patience = 6;
        Name = "sentiment";
        // Selection on a tenth of the training sentences (with their phrases); dev is scored once, at the end.
        HoldOut = 0.1;
        // Seeds 1, 2 and 3 tie on the held-out slice (83.79% each); the tie is broken by the behavioural
        // suite (87.9%, 91.1%, 91.9% of its 124 cases), never by dev: models/sentiment.md.
        Seed = 3;
    }

    /// <summary>Keep the embeddings frozen for this many first epochs, then fine-tune them.</summary>
    public int FreezeEpochs { get; init; }
    /// <summary>L2 pull of fine-tuned embedding rows back towards their GloVe values: grad += λ·(w − w₀).</summary>
    public float EmbeddingAnchor { get; init; }
    /// <summary>1: average words; 2: average words and training bigrams seen at least <see cref="BigramMinCount"/> times.</summary>
    public int Ngrams { get; init; } = 1;
    public int BigramMinCount { get; init; } = 2;
    /// <summary>SST phrase labels (phrases.tsv) added to the training sentences; null: sentences only.</summary>
    public string? Phrases { get; init; } = "../shared/data/sst/phrases.tsv";
    /// <summary>Folder with the IMDB reviews (labelled.tsv, unlabelled.txt); null: not used.</summary>
    public string? Imdb { get; init; } = "../shared/data/imdb";
    /// <summary>Skip-gram vectors trained on the IMDB reviews and the training sentences: none, replace (instead of GloVe) or concat (beside it).</summary>
    public InDomainUse InDomain { get; init; } = InDomainUse.Concat;
    /// <summary>Most frequent in-domain words added to the vocabulary besides the training words.</summary>
    public int InDomainWords { get; init; } = 20_000;
    public int SkipGramEpochs { get; init; } = 5;
    public int SkipGramDimension { get; init; } = 100;
    /// <summary>Threads of skip-gram training: 1 is repeatable bit for bit, more is faster (Hogwild).</summary>
    public int SkipGramThreads { get; init; } = 1;
    /// <summary>Epochs of pre-training on the labelled IMDB reviews as documents before the SST epochs (0: none).</summary>
    public int PretrainEpochs { get; init; } = 2;
    /// <summary>Embedding learning-rate multiplier while pre-training on reviews.</summary>
    public float PretrainEmbeddingRateScale { get; init; } = 1f;
    /// <summary>IMDB review sentences (labelled by their review: weak labels) drawn afresh each epoch besides the SST examples (0: none).</summary>
    public int WeakPerEpoch { get; init; }
    /// <summary>Where trained word vectors are cached, keyed by a hash of their inputs and settings.</summary>
    public string CacheDirectory { get; init; } = ".cache/word-vectors";
    /// <summary>Learned linear maps instead of "not_" words: 1 for negated words, 2 also for words before a contrast ("X, but Y"), 0 none.</summary>
    public int ScopeOperators { get; init; } = 2;
    /// <summary>A word the vocabulary lacks takes the id of the most frequent vocabulary word one edit away (typos).</summary>
    public bool TypoFallback { get; init; } = true;
    /// <summary>Give words inside a negation scope their own "not_" embeddings (initialised from the word).</summary>
    public bool NegationScope { get; init; } = true;
}
