using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Models;
using ServeNet.Core.Text;
using ServeNet.Training.Data;
using ServeNet.Training.Reporting;
using Spectre.Console;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>"train sentiment": trains the DAN on SST and writes checkpoint, report and learning curves.</summary>
internal static class TrainSentimentCommand
{
    public static Command Build()
    {
        var options = new TrainSentimentOptions();
        var command = new Command("sentiment", "Train the sentiment Deep Averaging Network on SST (binary) and evaluate it on dev");
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(result => Run(options.Read(result)));
        return command;
    }

    public static int Run(SentimentTrainingSettings settings)
    {
        var train = SstReader.Read(Path.Combine(settings.DataDirectory, "train.tsv"));
        var dev = SstReader.Read(Path.Combine(settings.DataDirectory, "dev.tsv"));
        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        var glove = EmbeddingReader.Load(settings.Embeddings);
        AnsiConsole.MarkupLine($"[grey]data: {train.Count:N0} train / {dev.Count:N0} dev sentences; " +
                               $"embeddings: {glove.Count:N0} × {glove.Dimension} loaded in {loadClock.Elapsed.TotalSeconds:F1}s[/]");

        var result = SentimentTrainer.Train(settings, glove, train, dev, new ConsoleProgress("accuracy"));
        var paths = new RunPaths(settings.Output);
        var run = new TrainingRun(settings, train.Count, dev.Count, settings.Embeddings, result.Epochs, result.BestEpoch,
            result.SecondsToBest, result.TotalSeconds);
        var training = run.ToJson();
        var metrics = new JsonObject
        {
            ["dev"] = new JsonObject
            {
                ["accuracy"] = Math.Round(result.Dev.Accuracy, 4),
                ["examples"] = result.Dev.Examples,
                ["unknownTokenRate"] = Math.Round(result.DevUnknownTokenRate, 4),
            },
        };
        TextClassifier.Save(settings.Output, result.Network, result.Vocabulary, TokenizerSettings.Sentiment, SstReader.Labels,
            settings.Name, training, metrics, new BagFeatures(settings.Ngrams, settings.NegationScope));
        LearningCurves.Save(paths.Curves, result.Epochs, "accuracy", result.BestEpoch, "Sentiment DAN on SST");

        var report = run.ReportHeader(settings.Name);
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Vocabulary {result.Vocabulary.Count:N0} words ({result.PretrainedRows:N0} initialised from GloVe); dev tokens unknown: {result.DevUnknownTokenRate * 100:F2}%; checkpoint {new FileInfo(settings.Output).Length / 1e6:F2} MB."));
        report.AppendLine();
        report.AppendLine("## Dev set");
        report.AppendLine();
        report.Append(ClassificationReport.Markdown(result.Dev));
        report.AppendLine();
        report.AppendLine("## Epochs");
        report.AppendLine();
        report.Append(EpochTable.Markdown(result.Epochs, "accuracy", result.BestEpoch));
        report.AppendLine();
        report.AppendLine($"![learning curves]({Path.GetFileName(paths.Curves)})");
        File.WriteAllText(paths.Report, report.ToString());

        ClassificationReport.Print(result.Dev, "dev");
        AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(settings.Output)}, {Markup.Escape(paths.Report)}, {Markup.Escape(paths.Curves)}[/]");
        Console.WriteLine(new JsonObject
        {
            ["accuracy"] = Math.Round(result.Dev.Accuracy, 4),
            ["examples"] = result.Dev.Examples,
            ["bestEpoch"] = result.BestEpoch,
            ["secondsToBestEpoch"] = Math.Round(result.SecondsToBest, 2),
        }.ToJsonString());
        return 0;
    }
}
