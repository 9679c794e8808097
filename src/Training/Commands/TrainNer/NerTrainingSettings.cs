using System.Diagnostics.CodeAnalysis;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>
/// Everything that determines an NER training run (and so its checkpoint). The defaults are the
/// configuration of the shipped models/ner.ckpt (see models/ner.md for how each was chosen).
/// </summary>
public sealed record NerTrainingSettings : TrainingSettings
{
    [SetsRequiredMembers]
    public NerTrainingSettings()
    {
        DataDirectory = "../shared/data/conll2003";
        Output = "models/ner.ckpt";
        BatchSize = 16; // sentences: all their windows train together
        LearningRate = 5e-4f;
        Hidden = [300];
        Dropout = 0.5f;
        InputDropout = 0.3f;
        WordDropout = 0.05f; // replaced by <unk>, so the tagger learns to use context
        Patience = 5;
        Name = "ner";
    }

    public int Window { get; init; } = 2;
    public int ShapeDimension { get; init; } = 10;
    /// <summary>Suffix/prefix embedding width (0: no affix features).</summary>
    public int AffixDimension { get; init; } = 20;
    public int AffixLength { get; init; } = 3;
    /// <summary>Character trigrams per token averaged into one embedding (0: none).</summary>
    public int CharNgrams { get; init; }
    public int CharBuckets { get; init; } = 20_000;
    public int CharDimension { get; init; } = 30;
    /// <summary>Train with sentence-level likelihood (learned BIO transitions, a linear-chain CRF) instead of per-token softmax.</summary>
    public bool Crf { get; init; } = true;
    public float LabelSmoothing { get; init; }
}
