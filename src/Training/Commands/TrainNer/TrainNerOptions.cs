using System.CommandLine;
using ServeNet.Core.Kernels;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>The options of "train ner", each defaulting to <see cref="NerTrainingSettings"/>.</summary>
internal sealed class TrainNerOptions
{
    private static readonly NerTrainingSettings Defaults = new();

    public Option<string> Data { get; } = new("--data") { Description = "Folder with CoNLL-2003 train.txt and dev.txt", DefaultValueFactory = _ => Defaults.DataDirectory };
    public Option<string> Embeddings { get; } = new("--embeddings") { Description = "GloVe vectors: wink JSON or GloVe text (scripts/fetch-embeddings.sh)", DefaultValueFactory = _ => Defaults.Embeddings };
    public Option<string> Output { get; } = new("--output", "-o") { Description = "Checkpoint to write; the report and curves go beside it", DefaultValueFactory = _ => Defaults.Output };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Sentences per mini-batch", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<float> LearningRate { get; } = new("--learning-rate", "--lr") { Description = "Adam step size", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: constant, step:<factor>:<every>, exp:<gamma>", DefaultValueFactory = _ => Defaults.Schedule };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, comma-separated", DefaultValueFactory = _ => string.Join(',', Defaults.Hidden) };
    public Option<Activation> Activation { get; } = new("--activation") { Description = "Hidden activation", DefaultValueFactory = _ => Defaults.Activation };
    public Option<float> Dropout { get; } = new("--dropout") { Description = "Dropout after each hidden layer", DefaultValueFactory = _ => Defaults.Dropout };
    public Option<float> InputDropout { get; } = new("--input-dropout") { Description = "Dropout on the window embeddings", DefaultValueFactory = _ => Defaults.InputDropout };
    public Option<float> WordDropout { get; } = new("--word-dropout") { Description = "Probability of replacing a training word by <unk>", DefaultValueFactory = _ => Defaults.WordDropout };
    public Option<int> Window { get; } = new("--window") { Description = "Words on each side of the tagged word", DefaultValueFactory = _ => Defaults.Window };
    public Option<int> ShapeDimension { get; } = new("--shape-dim") { Description = "Casing/shape embedding width", DefaultValueFactory = _ => Defaults.ShapeDimension };
    public Option<int> AffixDimension { get; } = new("--affix-dim") { Description = "Suffix and prefix embedding width (0: no affix features)", DefaultValueFactory = _ => Defaults.AffixDimension };
    public Option<int> AffixLength { get; } = new("--affix-length") { Description = "Characters in the suffix/prefix features", DefaultValueFactory = _ => Defaults.AffixLength };
    public Option<int> CharNgrams { get; } = new("--char-ngrams") { Description = "Character trigrams per token, averaged into one embedding (0: off)", DefaultValueFactory = _ => Defaults.CharNgrams };
    public Option<int> CharBuckets { get; } = new("--char-buckets") { Description = "Hash buckets of the character trigrams", DefaultValueFactory = _ => Defaults.CharBuckets };
    public Option<int> CharDimension { get; } = new("--char-dim") { Description = "Character trigram embedding width", DefaultValueFactory = _ => Defaults.CharDimension };
    public Option<int> GloveWords { get; } = new("--glove-words") { Description = "Most frequent GloVe words added to the vocabulary", DefaultValueFactory = _ => Defaults.GloveWords };
    public Option<bool> FreezeEmbeddings { get; } = new("--freeze-embeddings") { Description = "Keep the GloVe vectors fixed" };
    public Option<bool> Crf { get; } = new("--crf") { Description = "Sentence-level likelihood with learned BIO transitions (false: per-token softmax)", DefaultValueFactory = _ => Defaults.Crf };
    public Option<float> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing of the per-token softmax", DefaultValueFactory = _ => Defaults.LabelSmoothing };
    public Option<float> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => Defaults.WeightDecay };
    public Option<float> Clip { get; } = new("--clip") { Description = "Clip the global gradient norm to this (0: off)", DefaultValueFactory = _ => Defaults.MaxGradientNorm };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better dev F1", DefaultValueFactory = _ => Defaults.Patience };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adam, adagrad or sgd (momentum 0.9)", DefaultValueFactory = _ => Defaults.Optimizer };
    public Option<float> EmbeddingRateScale { get; } = new("--embedding-lr-scale") { Description = "Learning-rate multiplier for the word embeddings", DefaultValueFactory = _ => Defaults.EmbeddingRateScale };
    public Option<float> Ema { get; } = new("--ema") { Description = "Decay of the exponential moving average of weights used for evaluation and shipping (0: off)", DefaultValueFactory = _ => Defaults.Ema };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed: the same seed gives the same checkpoint", DefaultValueFactory = _ => Defaults.Seed };

    public IEnumerable<Option> All => [Data, Embeddings, Output, Epochs, BatchSize, LearningRate, Schedule, Hidden, Activation, Dropout, InputDropout, WordDropout,
        Window, ShapeDimension, AffixDimension, AffixLength, CharNgrams, CharBuckets, CharDimension, GloveWords, FreezeEmbeddings, Crf, LabelSmoothing, WeightDecay, Clip, Patience, Optimizer, EmbeddingRateScale, Ema, Seed];

    public NerTrainingSettings Read(ParseResult result) => new()
    {
        DataDirectory = result.GetValue(Data)!,
        Embeddings = result.GetValue(Embeddings)!,
        Output = result.GetValue(Output)!,
        Epochs = result.GetValue(Epochs),
        BatchSize = result.GetValue(BatchSize),
        LearningRate = result.GetValue(LearningRate),
        Schedule = result.GetValue(Schedule)!,
        Hidden = CommandLineParsing.IntList(result.GetValue(Hidden)!, "--hidden"),
        Activation = result.GetValue(Activation),
        Dropout = result.GetValue(Dropout),
        InputDropout = result.GetValue(InputDropout),
        WordDropout = result.GetValue(WordDropout),
        Window = result.GetValue(Window),
        ShapeDimension = result.GetValue(ShapeDimension),
        AffixDimension = result.GetValue(AffixDimension),
        AffixLength = result.GetValue(AffixLength),
        CharNgrams = result.GetValue(CharNgrams),
        CharBuckets = result.GetValue(CharBuckets),
        CharDimension = result.GetValue(CharDimension),
        GloveWords = result.GetValue(GloveWords),
        FreezeEmbeddings = result.GetValue(FreezeEmbeddings),
        Crf = result.GetValue(Crf),
        LabelSmoothing = result.GetValue(LabelSmoothing),
        WeightDecay = result.GetValue(WeightDecay),
        MaxGradientNorm = result.GetValue(Clip),
        Patience = result.GetValue(Patience),
        Optimizer = result.GetValue(Optimizer)!,
        EmbeddingRateScale = result.GetValue(EmbeddingRateScale),
        Ema = result.GetValue(Ema),
        Seed = result.GetValue(Seed),
    };
}
