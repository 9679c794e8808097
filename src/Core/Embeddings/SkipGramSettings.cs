namespace ServeNet.Core.Embeddings;

/// <summary>
/// Settings of skip-gram training with negative sampling; the defaults are word2vec's (Mikolov et
/// al. 2013) for a corpus of tens of millions of words.
/// </summary>
public sealed record SkipGramSettings
{
    public int Dimension { get; init; } = 100;
    /// <summary>Largest distance of a context word; each centre word draws its window from 1..Window (nearer words count more).</summary>
    public int Window { get; init; } = 5;
    /// <summary>Noise words per observed pair, drawn from the unigram distribution to the power <see cref="NoisePower"/>.</summary>
    public int Negatives { get; init; } = 5;
    public double NoisePower { get; init; } = 0.75;
    /// <summary>Words seen fewer times get no vector and are removed from the text.</summary>
    public int MinCount { get; init; } = 5;
    /// <summary>Frequent-word subsampling threshold t: a word of frequency f is kept with probability (√(f/t) + 1)·t/f.</summary>
    public double Subsample { get; init; } = 1e-4;
    public int Epochs { get; init; } = 5;
    /// <summary>Initial step size, decayed linearly to 10⁻⁴ of itself over all epochs.</summary>
    public float LearningRate { get; init; } = 0.025f;
    /// <summary>1: deterministic (the same seed gives the same vectors bit for bit); more: lock-free parallel updates (Hogwild, Recht et al. 2011), not repeatable.</summary>
    public int Threads { get; init; } = 1;
    public ulong Seed { get; init; } = 1;
    /// <summary>The update kernel: "vectorized" or "reference".</summary>
    public string Kernel { get; init; } = VectorizedSkipGramUpdate.Name;
}
