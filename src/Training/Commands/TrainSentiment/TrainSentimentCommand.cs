using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ServeNet.Core.Embeddings;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Text;
using ServeNet.Training.Data;
using ServeNet.Training.Embeddings;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;
using Spectre.Console;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>
/// "train sentiment": trains the DAN on SST (sentences and phrase labels) with what the IMDB reviews
/// teach (in-domain word vectors, pre-training, weak labels), calibrates it on the held-out
/// sentences, and writes checkpoint, report, learning curves and reliability diagram.
/// </summary>
internal static class TrainSentimentCommand
{
    public static Command Build() => new TrainSentimentOptions().ToCommand("sentiment", "Train the sentiment Deep Averaging Network on SST (binary) and evaluate it on dev", Run);

    public static int Run(SentimentTrainingSettings settings)
    {
        var wall = Stopwatch.StartNew();
        var sentences = SstReader.Read(Path.Combine(settings.DataDirectory, "train.tsv"));
        var dev = SstReader.Read(Path.Combine(settings.DataDirectory, "dev.tsv"));
        var phrases = settings.Phrases is null ? null : SstReader.Read(settings.Phrases);
        var data = SentimentData.Prepare(settings, sentences, phrases, Log);

        var inDomain = settings.InDomain == InDomainUse.None ? null : TrainInDomainVectors(settings, data.TrainSentences);
        var loadClock = Stopwatch.StartNew();
        var glove = settings.InDomain == InDomainUse.Replace ? null : EmbeddingReader.Load(settings.Embeddings);
        Log($"data: {data.Train.Count:N0} training examples, {data.HeldOut?.Count ?? 0:N0} held out, {dev.Count:N0} dev sentences; " +
            (glove is null ? "no GloVe" : $"GloVe {glove.Count:N0} × {glove.Dimension} loaded in {loadClock.Elapsed.TotalSeconds:F1}s"));
        var examples = settings.PretrainEpochs > 0 || settings.WeakPerEpoch > 0
            ? InDomainExamples.FromReviews(ImdbReader.ReadLabelled(Path.Combine(RequireImdb(settings), "labelled.tsv")), settings.PretrainEpochs > 0, settings.WeakPerEpoch > 0)
            : InDomainExamples.None;

        string selection = data.HeldOut is null ? "dev" : "held-out";
        var result = SentimentTrainer.Train(settings, new EmbeddingSources(glove, inDomain), data, dev, new ConsoleProgress($"{selection} accuracy"), examples);

        // Temperature scaling on the sentences that chose the epoch (never on training examples); the label never changes.
        var selectionLogits = result.SelectionProbabilities.SelectMany(p => p.Select(v => MathF.Log(Math.Max(v, float.Epsilon)))).ToArray();
        float temperature = TemperatureScaling.Fit(selectionLogits, result.SelectionLabels, SstReader.Labels.Count);
        var before = new Calibration(result.SelectionProbabilities, result.SelectionLabels);
        var after = new Calibration(result.SelectionProbabilities.Select(p => Calibration.Uncalibrated(p, 1f / temperature)).ToList(), result.SelectionLabels);
        var model = result.Model.WithTemperature(temperature);

        (settings, string? promote) = TrainingRun.Resolve(settings, model.Network.Parameters);
        var run = new TrainingRun(settings, result.TrainExamples, dev.Count, result.HeldOut?.Examples ?? 0, result.Outcome);
        var devJson = result.Dev.ToJson();
        devJson["unknownTokenRate"] = Math.Round(result.DevUnknownTokenRate, 4);
        var metrics = new JsonObject { ["dev"] = devJson };
        if (result.HeldOut is not null) metrics["heldOut"] = result.HeldOut.ToJson();
        metrics["calibration"] = new JsonObject
        {
            ["fittedOn"] = selection, ["temperature"] = Math.Round(temperature, 4),
            ["eceBefore"] = Math.Round(before.ExpectedCalibrationError, 4), ["eceAfter"] = Math.Round(after.ExpectedCalibrationError, 4),
        };
        TextClassifier.Save(settings.Output!, model.Network, model.Vocabulary, TokenizerSettings.Sentiment, model.Labels,
            settings.Name, run.ToJson(), metrics, model.Bag, temperature);
        string reliability = Path.ChangeExtension(settings.Output!, null) + ".reliability.png";
        ReliabilityDiagram.Save(reliability, before, after, temperature, $"Sentiment DAN: reliability on the {selection} sentences (where T was fitted)");

        var sections = new List<(string, string)> { ("Dev set", ClassificationReport.Markdown(result.Dev)) };
        if (result.HeldOut is not null) sections.Add(("Held-out training sentences (selection set)", ClassificationReport.Markdown(result.HeldOut)));
        sections.Add(("Calibration", string.Create(CultureInfo.InvariantCulture,
            $"Temperature T = {temperature:F3}, fitted on the {selection} sentences by negative log-likelihood. Expected calibration error (15 bins) there: {before.ExpectedCalibrationError:F4} at T = 1, {after.ExpectedCalibrationError:F4} after (in-sample for T: `evaluate` measures it on other data).\n\n![reliability diagram]({Path.GetFileName(reliability)})\n")));
        run.WriteReport("accuracy", "Sentiment DAN on SST", string.Create(CultureInfo.InvariantCulture,
            $"Vocabulary {model.Vocabulary.Count:N0} words ({result.PretrainedRows:N0} with pre-trained vectors, {result.Model.Network.Input.OutputSize} dimensions); {result.TrainExamples:N0} training examples ({data.Phrases:N0} of them phrases); dev tokens unknown: {result.DevUnknownTokenRate * 100:F2}%; checkpoint {new FileInfo(settings.Output!).Length / 1e6:F2} MB; whole command {wall.Elapsed.TotalSeconds:F0}s."),
            sections);

        ClassificationReport.Print(result.Dev, "dev");
        Log(string.Create(CultureInfo.InvariantCulture,
            $"temperature {temperature:F3}: expected calibration error on the {selection} sentences {before.ExpectedCalibrationError:F4} → {after.ExpectedCalibrationError:F4}"));
        AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(settings.Output!)}, {Markup.Escape(run.Paths.Report)}, {Markup.Escape(run.Paths.Curves)}, {Markup.Escape(reliability)}[/]");
        if (promote is not null) Console.WriteLine($"to serve it, promote it to models/ (a running API swaps it in):\n  {promote}");
        var summary = result.Dev.ToJson();
        if (result.HeldOut is not null) summary["heldOutAccuracy"] = Math.Round(result.HeldOut.Accuracy, 4);
        summary["temperature"] = Math.Round(temperature, 4);
        summary["wallSeconds"] = Math.Round(wall.Elapsed.TotalSeconds, 1);
        Console.WriteLine(run.Summary(summary).ToJsonString());
        return 0;
    }

    private static void Log(string message) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

    /// <summary>Skip-gram vectors of the IMDB reviews (labelled and unlabelled) and the training sentences, from the cache when it has them.</summary>
    private static WordVectors TrainInDomainVectors(SentimentTrainingSettings settings, IReadOnlyList<LabelledSentence> sentences)
    {
        string imdb = RequireImdb(settings);
        var texts = ImdbReader.ReadLabelled(Path.Combine(imdb, "labelled.tsv")).Select(r => ImdbReader.PlainText(r.Text))
            .Concat(ImdbReader.ReadUnlabelled(Path.Combine(imdb, "unlabelled.txt")).Select(ImdbReader.PlainText))
            .Concat(sentences.Select(s => s.Text)).ToList();
        var skipGram = new SkipGramSettings { Epochs = settings.SkipGramEpochs, Threads = settings.SkipGramThreads, Dimension = settings.SkipGramDimension };
        return InDomainVectors.LoadOrTrain(texts, new WordTokenizer(TokenizerSettings.Sentiment), skipGram, settings.CacheDirectory, Log);
    }

    private static string RequireImdb(SentimentTrainingSettings settings) =>
        settings.Imdb ?? throw new ArgumentException("--in-domain, --pretrain-epochs and --weak-per-epoch need --imdb (the folder with the IMDB reviews).");
}
