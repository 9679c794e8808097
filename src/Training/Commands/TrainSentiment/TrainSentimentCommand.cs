using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Text;
using ServeNet.Training.Data;
using ServeNet.Training.Reporting;
using Spectre.Console;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>"train sentiment": trains the DAN on SST and writes checkpoint, report and learning curves.</summary>
internal static class TrainSentimentCommand
{
    public static Command Build() => new TrainSentimentOptions().ToCommand("sentiment", "Train the sentiment Deep Averaging Network on SST (binary) and evaluate it on dev", Run);

    public static int Run(SentimentTrainingSettings settings)
    {
        var train = SstReader.Read(Path.Combine(settings.DataDirectory, "train.tsv"));
        if (settings.Phrases is { } phrases)
        {
            int sentences = train.Count;
            train = SstPhrases.AddTo(train, SstReader.Read(phrases), new WordTokenizer(TokenizerSettings.Sentiment));
            AnsiConsole.MarkupLine($"[grey]phrases: {train.Count - sentences:N0} from {Markup.Escape(phrases)} besides the {sentences:N0} sentences[/]");
        }
        var dev = SstReader.Read(Path.Combine(settings.DataDirectory, "dev.tsv"));
        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        var glove = EmbeddingReader.Load(settings.Embeddings);
        AnsiConsole.MarkupLine($"[grey]data: {train.Count:N0} train / {dev.Count:N0} dev sentences; " +
                               $"embeddings: {glove.Count:N0} × {glove.Dimension} loaded in {loadClock.Elapsed.TotalSeconds:F1}s[/]");

        string selection = settings.HoldOut > 0 ? "held-out" : "dev";
        var result = SentimentTrainer.Train(settings, glove, train, dev, new ConsoleProgress($"{selection} accuracy"));
        var model = result.Model;
        var run = new TrainingRun(settings, result.TrainExamples, dev.Count, result.HeldOut?.Examples ?? 0, result.Outcome);
        var devJson = result.Dev.ToJson();
        devJson["unknownTokenRate"] = Math.Round(result.DevUnknownTokenRate, 4);
        var metrics = new JsonObject { ["dev"] = devJson };
        if (result.HeldOut is not null) metrics["heldOut"] = result.HeldOut.ToJson();
        TextClassifier.Save(settings.Output, model.Network, model.Vocabulary, TokenizerSettings.Sentiment, model.Labels,
            settings.Name, run.ToJson(), metrics, model.Bag);

        var sections = new List<(string, string)> { ("Dev set", ClassificationReport.Markdown(result.Dev)) };
        if (result.HeldOut is not null) sections.Add(("Held-out training sentences (selection set)", ClassificationReport.Markdown(result.HeldOut)));
        run.WriteReport("accuracy", "Sentiment DAN on SST", string.Create(CultureInfo.InvariantCulture,
            $"Vocabulary {model.Vocabulary.Count:N0} words ({result.PretrainedRows:N0} initialised from GloVe); dev tokens unknown: {result.DevUnknownTokenRate * 100:F2}%; checkpoint {new FileInfo(settings.Output).Length / 1e6:F2} MB."),
            sections);

        ClassificationReport.Print(result.Dev, "dev");
        AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(settings.Output)}, {Markup.Escape(run.Paths.Report)}, {Markup.Escape(run.Paths.Curves)}[/]");
        var summary = result.Dev.ToJson();
        if (result.HeldOut is not null) summary["heldOutAccuracy"] = Math.Round(result.HeldOut.Accuracy, 4);
        Console.WriteLine(run.Summary(summary).ToJsonString());
        return 0;
    }
}
