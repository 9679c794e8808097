using System.CommandLine;
using ServeNet.Core.Kernels;

namespace ServeNet.Training.Commands;

/// <summary>
/// The command-line options every "train" verb shares, each defaulting to the verb's settings;
/// a verb adds its own options and reads them on top of the common ones.
/// </summary>
internal abstract class TrainingOptions<TSettings> where TSettings : TrainingSettings, new()
{
    protected static readonly TSettings Defaults = new();

    protected TrainingOptions(string data, string batch, string inputDropout, string wordDropout, string metric)
    {
        Data = new("--data") { Description = data, DefaultValueFactory = _ => Defaults.DataDirectory };
        BatchSize = new("--batch-size") { Description = batch, DefaultValueFactory = _ => Defaults.BatchSize };
        InputDropout = new("--input-dropout") { Description = inputDropout, DefaultValueFactory = _ => Defaults.InputDropout };
        WordDropout = new("--word-dropout") { Description = wordDropout, DefaultValueFactory = _ => Defaults.WordDropout };
        Patience = new("--patience") { Description = $"Stop after this many epochs without a better {metric} on the selection set", DefaultValueFactory = _ => Defaults.Patience };
    }

    public Option<string> Data { get; }
    public Option<string> Embeddings { get; } = new("--embeddings") { Description = "GloVe vectors: wink JSON or GloVe text (scripts/fetch-embeddings.sh)", DefaultValueFactory = _ => Defaults.Embeddings };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Checkpoint to write, the report and curves beside it (default: <runs>/<name>-<version>/<name>.ckpt; give models/<name>.ckpt to replace the served model)" };
    public Option<string> Runs { get; } = new("--runs") { Description = "Folder of training runs, used when --output is not given", DefaultValueFactory = _ => Defaults.Runs };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; }
    public Option<float> LearningRate { get; } = new("--learning-rate", "--lr") { Description = "Step size of the optimizer", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: constant, step:<factor>:<every>, exp:<gamma>", DefaultValueFactory = _ => Defaults.Schedule };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, comma-separated (e.g. 300,300)", DefaultValueFactory = _ => string.Join(',', Defaults.Hidden) };
    public Option<Activation> Activation { get; } = new("--activation") { Description = "Hidden activation", DefaultValueFactory = _ => Defaults.Activation };
    public Option<float> Dropout { get; } = new("--dropout") { Description = "Dropout after each hidden layer", DefaultValueFactory = _ => Defaults.Dropout };
    public Option<float> InputDropout { get; }
    public Option<float> WordDropout { get; }
    public Option<float> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => Defaults.WeightDecay };
    public Option<float> Clip { get; } = new("--clip") { Description = "Clip the global gradient norm to this (0: off)", DefaultValueFactory = _ => Defaults.MaxGradientNorm };
    public Option<int> GloveWords { get; } = new("--glove-words") { Description = "Most frequent GloVe words added to the vocabulary", DefaultValueFactory = _ => Defaults.GloveWords };
    public Option<bool> FreezeEmbeddings { get; } = new("--freeze-embeddings") { Description = "Keep the GloVe vectors fixed" };
    public Option<int> Patience { get; }
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adam, adagrad or sgd (momentum 0.9)", DefaultValueFactory = _ => Defaults.Optimizer };
    public Option<float> EmbeddingRateScale { get; } = new("--embedding-lr-scale") { Description = "Learning-rate multiplier for the word embeddings", DefaultValueFactory = _ => Defaults.EmbeddingRateScale };
    public Option<bool> KeepLast { get; } = new("--keep-last") { Description = "Train all --epochs and keep the last epoch's (averaged) weights; the selection set is scored each epoch but chooses nothing", DefaultValueFactory = _ => Defaults.KeepLast };
    public Option<float> Ema { get; } = new("--ema") { Description = "Decay of the exponential moving average of weights used for evaluation and shipping (0: off)", DefaultValueFactory = _ => Defaults.Ema };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed: the same seed gives the same checkpoint", DefaultValueFactory = _ => Defaults.Seed };
    public Option<double> HoldOut { get; } = new("--hold-out") { Description = "Fraction of training examples held out to select the best epoch on (0: select on dev; dev is then scored once at the end)", DefaultValueFactory = _ => Defaults.HoldOut };
    public Option<ulong> HoldOutSeed { get; } = new("--hold-out-seed") { Description = "Seed of the held-out slice (the same slice for every training seed)", DefaultValueFactory = _ => Defaults.HoldOutSeed };

    /// <summary>The verb: every option, and an action that runs <paramref name="run"/> on the settings they give.</summary>
    public Command ToCommand(string name, string description, Func<TSettings, int> run)
    {
        var command = new Command(name, description);
        foreach (var option in All) command.Options.Add(option);
        command.SetAction(result => run(Read(result)));
        return command;
    }

    /// <summary>The verb's own options.</summary>
    protected abstract IEnumerable<Option> Specific { get; }

    public IEnumerable<Option> All => new Option[]
    {
        Data, Embeddings, Output, Runs, Epochs, BatchSize, LearningRate, Schedule, Hidden, Activation, Dropout, InputDropout, WordDropout,
        WeightDecay, Clip, GloveWords, FreezeEmbeddings, Patience, KeepLast, Optimizer, EmbeddingRateScale, Ema, Seed, HoldOut, HoldOutSeed,
    }.Concat(Specific);

    public TSettings Read(ParseResult result) => ReadSpecific(result, (TSettings)(Defaults with
    {
        DataDirectory = result.GetValue(Data)!,
        Embeddings = result.GetValue(Embeddings)!,
        Output = result.GetValue(Output),
        Runs = result.GetValue(Runs)!,
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
        Patience = result.GetValue(Patience),
        KeepLast = result.GetValue(KeepLast),
        Optimizer = result.GetValue(Optimizer)!,
        EmbeddingRateScale = result.GetValue(EmbeddingRateScale),
        Ema = result.GetValue(Ema),
        Seed = result.GetValue(Seed),
        HoldOut = result.GetValue(HoldOut),
        HoldOutSeed = result.GetValue(HoldOutSeed),
    }));

    /// <summary>The verb's own options on top of the common ones.</summary>
    protected abstract TSettings ReadSpecific(ParseResult result, TSettings common);
}
