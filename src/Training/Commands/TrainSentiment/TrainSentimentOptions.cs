using System.CommandLine;
using ServeNet.Core.Kernels;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>The options of "train sentiment", each defaulting to <see cref="SentimentTrainingSettings"/>.</summary>
internal sealed class TrainSentimentOptions
{
    private static readonly SentimentTrainingSettings Defaults = new();

    public Option<string> Data { get; } = new("--data") { Description = "Folder with SST train.tsv and dev.tsv", DefaultValueFactory = _ => Defaults.DataDirectory };
    public Option<string> Embeddings { get; } = new("--embeddings") { Description = "GloVe vectors: wink JSON or GloVe text (scripts/fetch-embeddings.sh)", DefaultValueFactory = _ => Defaults.Embeddings };
    public Option<string> Output { get; } = new("--output", "-o") { Description = "Checkpoint to write; the report and curves go beside it", DefaultValueFactory = _ => Defaults.Output };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Sentences per mini-batch", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<float> LearningRate { get; } = new("--learning-rate", "--lr") { Description = "Adam step size", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: constant, step:<factor>:<every>, exp:<gamma>", DefaultValueFactory = _ => Defaults.Schedule };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, comma-separated (e.g. 300,300)", DefaultValueFactory = _ => string.Join(',', Defaults.Hidden) };
    public Option<Activation> Activation { get; } = new("--activation") { Description = "Hidden activation", DefaultValueFactory = _ => Defaults.Activation };
    public Option<float> Dropout { get; } = new("--dropout") { Description = "Dropout after each hidden layer", DefaultValueFactory = _ => Defaults.Dropout };
    public Option<float> InputDropout { get; } = new("--input-dropout") { Description = "Dropout on the averaged sentence vector", DefaultValueFactory = _ => Defaults.InputDropout };
    public Option<float> WordDropout { get; } = new("--word-dropout") { Description = "Probability of dropping each word from the average", DefaultValueFactory = _ => Defaults.WordDropout };
    public Option<float> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => Defaults.WeightDecay };
    public Option<float> Clip { get; } = new("--clip") { Description = "Clip the global gradient norm to this (0: off)", DefaultValueFactory = _ => Defaults.MaxGradientNorm };
    public Option<int> GloveWords { get; } = new("--glove-words") { Description = "Most frequent GloVe words added to the vocabulary", DefaultValueFactory = _ => Defaults.GloveWords };
    public Option<int> Ngrams { get; } = new("--ngrams") { Description = "1: average words; 2: words and frequent training bigrams", DefaultValueFactory = _ => Defaults.Ngrams };
    public Option<int> BigramMinCount { get; } = new("--bigram-min-count") { Description = "Training occurrences a bigram needs to get an embedding", DefaultValueFactory = _ => Defaults.BigramMinCount };
    public Option<int> FreezeEpochs { get; } = new("--freeze-epochs") { Description = "Keep the embeddings frozen for this many first epochs", DefaultValueFactory = _ => Defaults.FreezeEpochs };
    public Option<float> EmbeddingAnchor { get; } = new("--embedding-anchor") { Description = "L2 pull of fine-tuned embeddings towards their GloVe values", DefaultValueFactory = _ => Defaults.EmbeddingAnchor };
    public Option<bool> NegationScope { get; } = new("--negation-scope") { Description = "Words after a negation up to punctuation get their own \"not_\" embeddings", DefaultValueFactory = _ => Defaults.NegationScope };
    public Option<bool> FreezeEmbeddings { get; } = new("--freeze-embeddings") { Description = "Keep the GloVe vectors fixed" };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better dev accuracy", DefaultValueFactory = _ => Defaults.Patience };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adam, adagrad or sgd (momentum 0.9)", DefaultValueFactory = _ => Defaults.Optimizer };
    public Option<float> EmbeddingRateScale { get; } = new("--embedding-lr-scale") { Description = "Learning-rate multiplier for the word embeddings", DefaultValueFactory = _ => Defaults.EmbeddingRateScale };
    public Option<float> Ema { get; } = new("--ema") { Description = "Decay of the exponential moving average of weights used for evaluation and shipping (0: off)", DefaultValueFactory = _ => Defaults.Ema };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed: the same seed gives the same checkpoint", DefaultValueFactory = _ => Defaults.Seed };

    public IEnumerable<Option> All => [Data, Embeddings, Output, Epochs, BatchSize, LearningRate, Schedule, Hidden, Activation, Dropout, InputDropout,
        WordDropout, WeightDecay, Clip, GloveWords, Ngrams, BigramMinCount, NegationScope, FreezeEmbeddings, FreezeEpochs, EmbeddingAnchor, Patience, Optimizer, EmbeddingRateScale, Ema, Seed];

    public SentimentTrainingSettings Read(ParseResult result) => new()
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
        WeightDecay = result.GetValue(WeightDecay),
        MaxGradientNorm = result.GetValue(Clip),
        GloveWords = result.GetValue(GloveWords),
        FreezeEmbeddings = result.GetValue(FreezeEmbeddings),
        FreezeEpochs = result.GetValue(FreezeEpochs),
        EmbeddingAnchor = result.GetValue(EmbeddingAnchor),
        Ngrams = result.GetValue(Ngrams),
        BigramMinCount = result.GetValue(BigramMinCount),
        NegationScope = result.GetValue(NegationScope),
        Patience = result.GetValue(Patience),
        Optimizer = result.GetValue(Optimizer)!,
        EmbeddingRateScale = result.GetValue(EmbeddingRateScale),
        Ema = result.GetValue(Ema),
        Seed = result.GetValue(Seed),
    };
}
