using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ServeNet.Bench.MlNet;

/// <summary>
/// ML.NET peer for the sentiment benchmark (issue 7): the pipeline a .NET developer would reach for
/// instead of ServeNet's DAN -- FeaturizeText (word 1-2 grams + char 3-grams, ML.NET's defaults) on
/// the raw sentence, then SDCA logistic regression, trained on SST train and scored on SST dev.
/// Prints human-readable lines, then one JSON object as the last line (the harness parses it).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ServeNet.Bench.MlNet -- " +
                "[--repo-root PATH] [--seconds S] [--threads T] [--max-examples N] [--save-model PATH]");
            return 2;
        }

        string dataDirectory = Path.GetFullPath(Path.Combine(options.RepoRoot, "..", "shared", "data", "sst"));
        var train = ReadSst(Path.Combine(dataDirectory, "train.tsv"));
        var dev = ReadSst(Path.Combine(dataDirectory, "dev.tsv"));
        if (train is null || dev is null) return 1;
        if (options.MaxExamples > 0 && train.Count > options.MaxExamples) train = train.GetRange(0, options.MaxExamples);
        string mlnetVersion = MlNetVersion();
        Console.WriteLine($"ML.NET {mlnetVersion}, .NET {Environment.Version}; " +
            $"SST train {train.Count:N0}, dev {dev.Count:N0} sentences from {dataDirectory}");

        var ml = new MLContext(seed: 1);
        var trainView = ml.Data.LoadFromEnumerable(train);
        var devView = ml.Data.LoadFromEnumerable(dev);

        // Training: featurization (dictionary building) + SDCA passes; data loading is not timed.
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(SentimentRow.Text))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(SentimentRow.Label),
                FeatureColumnName = "Features",
                NumberOfThreads = options.Threads,
            }));
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(trainView);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(devView), nameof(SentimentRow.Label));
        Console.WriteLine($"trained in {trainSeconds:F2}s (FeaturizeText + SdcaLogisticRegression, {options.Threads} SDCA thread(s)); " +
            $"dev accuracy {metrics.Accuracy:F4}, AUC {metrics.AreaUnderRocCurve:F4}");

        // --save-model: the trained pipeline as ML.NET's .zip for the serving peer (bench/ServeNet.Bench.MlNetServe),
        // written to a temporary file and renamed so that a reader never sees half a model; no timing runs.
        if (options.SaveModel is { } modelPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
            string temporary = modelPath + ".tmp";
            ml.Model.Save(model, trainView.Schema, temporary);
            File.Move(temporary, modelPath, overwrite: true);
            Console.WriteLine($"model saved to {modelPath}");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["peer"] = "mlnet", ["task"] = "save-model", ["model"] = Path.GetFullPath(modelPath),
                ["train_seconds"] = Math.Round(trainSeconds, 4), ["dev_accuracy"] = Math.Round(metrics.Accuracy, 5), ["mlnet"] = mlnetVersion,
            }));
            return 0;
        }

        // Batch 1: PredictionEngine (not thread-safe: one engine, one thread), raw sentence in, label out.
        var engine = ml.Model.CreatePredictionEngine<SentimentRow, SentimentPrediction>(model);
        var singles = dev.Select(d => new SentimentRow { Text = d.Text }).ToArray();
        var batch1 = Throughput.Measure(i =>
        {
            engine.Predict(singles[i % singles.Length]);
            return 1;
        }, options.Seconds);
        Console.WriteLine($"batch 1 (PredictionEngine): {batch1.Rate:N0} sentences/s (median of {batch1.Repeats} repeats, {batch1.Timed:F1}s timed)");

        // Batch 64: an IDataView of 64 raw sentences through model.Transform, read back as objects.
        const int BatchSize = 64;
        var batches = Enumerable.Range(0, dev.Count / BatchSize)
            .Select(b => singles.Skip(b * BatchSize).Take(BatchSize).ToArray()).ToArray();
        var batch64 = Throughput.Measure(i =>
        {
            var scored = model.Transform(ml.Data.LoadFromEnumerable(batches[i % batches.Length]));
            int n = 0;
            foreach (var _ in ml.Data.CreateEnumerable<SentimentPrediction>(scored, reuseRowObject: true)) n++;
            return n;
        }, options.Seconds);
        Console.WriteLine($"batch 64 (Transform over an IDataView): {batch64.Rate:N0} sentences/s (median of {batch64.Repeats} repeats, {batch64.Timed:F1}s timed)");

        var result = new Dictionary<string, object>
        {
            ["peer"] = "mlnet",
            ["task"] = "sentiment",
            ["pipeline"] = "FeaturizeText+SdcaLogisticRegression",
            ["train_sentences"] = train.Count,
            ["threads"] = options.Threads,
            ["train_seconds"] = Math.Round(trainSeconds, 4),
            ["dev_accuracy"] = Math.Round(metrics.Accuracy, 5),
            ["batch1_sentences_per_second"] = Math.Round(batch1.Rate, 1),
            ["batch64_sentences_per_second"] = Math.Round(batch64.Rate, 1),
            ["scope"] = "raw text in (ML.NET tokenization and featurization included), in-process",
            ["mlnet"] = mlnetVersion,
        };
        // The LAST line: one JSON object (relaxed escaping keeps "+" readable).
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return 0;
    }

    /// <summary>The package version (the assembly version is frozen at 1.0.0.0).</summary>
    private static string MlNetVersion()
    {
        string? informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "?";
    }

    /// <summary>SST: "label&lt;TAB&gt;sentence" per line (as ServeNet's SstReader), label 1 = positive.</summary>
    private static List<SentimentRow>? ReadSst(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: {path} not found (SST lives in ../shared/data/sst beside the repo root; see --repo-root).");
            return null;
        }
        var rows = new List<SentimentRow>();
        foreach (var line in File.ReadLines(path))
        {
            int tab = line.IndexOf('\t');
            if (tab < 0) continue;
            rows.Add(new SentimentRow { Label = line[0] == '1', Text = line[(tab + 1)..] });
        }
        return rows;
    }
}

public sealed class SentimentRow
{
    public bool Label { get; set; }
    public string Text { get; set; } = "";
}

public sealed class SentimentPrediction
{
    [ColumnName("PredictedLabel")]
    public bool Prediction { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}

internal sealed record Options(string RepoRoot, double Seconds, int Threads, int MaxExamples, string? SaveModel)
{
    public static Options Parse(string[] args)
    {
        // Default repo root: the current directory if it has ServeNet.sln, else walk up from the binary.
        string root = FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        double seconds = 3;
        int threads = 1, maxExamples = 0;
        string? saveModel = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--repo-root": root = Path.GetFullPath(Value()); break;
                case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--max-examples": maxExamples = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--save-model": saveModel = Value(); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'.");
            }
        }
        if (seconds <= 0) throw new ArgumentException("--seconds must be positive.");
        if (threads < 1) throw new ArgumentException("--threads must be >= 1.");
        return new Options(root, seconds, threads, maxExamples, saveModel);
    }

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ServeNet.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>
/// Items/second of a call: ~0.5 s (at least 10 calls) of warm-up, then at least 5 timed repeats of
/// at least seconds/5 each (until seconds have been timed); the median repeat's rate. The same
/// protocol as bench/peers/torch_peer.py's throughput().
/// </summary>
internal static class Throughput
{
    public static (double Rate, int Repeats, double Timed) Measure(Func<int, int> call, double seconds, int repeats = 5)
    {
        var warm = Stopwatch.StartNew();
        int k = 0;
        while (k < 10 || warm.Elapsed.TotalSeconds < 0.5) call(k++);
        double perRepeat = Math.Max(seconds / repeats, 0.05), timed = 0;
        var rates = new List<double>();
        while (rates.Count < repeats || timed < seconds)
        {
            long items = 0;
            var clock = Stopwatch.StartNew();
            do items += call(k++);
            while (clock.Elapsed.TotalSeconds < perRepeat);
            double elapsed = clock.Elapsed.TotalSeconds;
            rates.Add(items / elapsed);
            timed += elapsed;
        }
        rates.Sort();
        double median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
        return (median, rates.Count, timed);
    }
}
