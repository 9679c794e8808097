using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Ner;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;
using Spectre.Console;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>"train ner": trains the window tagger on CoNLL-2003 and writes checkpoint, report and learning curves.</summary>
internal static class TrainNerCommand
{
    public static Command Build()
    {
        var options = new TrainNerOptions();
        var command = new Command("ner", "Train the window NER tagger on CoNLL-2003 (BIO labels) and evaluate it on dev");
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(result => Run(options.Read(result)));
        return command;
    }

    public static int Run(NerTrainingSettings settings)
    {
        var labels = BioLabels.Conll;
        var train = ConllReader.Read(Path.Combine(settings.DataDirectory, "train.txt"), labels);
        var dev = ConllReader.Read(Path.Combine(settings.DataDirectory, "dev.txt"), labels);
        var glove = EmbeddingReader.Load(settings.Embeddings);
        AnsiConsole.MarkupLine($"[grey]data: {train.Count:N0} train / {dev.Count:N0} dev sentences ({train.Sum(s => s.Words.Length):N0} / {dev.Sum(s => s.Words.Length):N0} tokens); embeddings {glove.Count:N0} × {glove.Dimension}[/]");

        var result = NerTrainer.Train(settings, glove, train, dev, new ConsoleProgress("F1"));
        var paths = new RunPaths(settings.Output);
        var run = new TrainingRun(settings, train.Count, dev.Count, settings.Embeddings, result.Epochs, result.BestEpoch,
            result.SecondsToBest, result.TotalSeconds);
        var training = run.ToJson();
        var metrics = new JsonObject { ["dev"] = ScoreJson(result.Dev), ["devGreedy"] = ScoreJson(result.DevGreedy) };
        EntityTagger.Save(settings.Output, result.Network, result.Features, labels, result.Transitions, result.Start, settings.Name, training, metrics);
        LearningCurves.Save(paths.Curves, result.Epochs, "F1", result.BestEpoch, "Window NER tagger on CoNLL-2003");

        var dev2 = NerTrainer.Encode(dev, result.Features, labels);
        var report = run.ReportHeader(settings.Name);
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Vocabulary {result.Features.Words.Count:N0} words ({result.PretrainedRows:N0} from GloVe); dev tokens unknown: {result.DevUnknownWordRate * 100:F2}%; checkpoint {new FileInfo(settings.Output).Length / 1e6:F2} MB."));
        report.AppendLine();
        report.AppendLine("## Dev set, BIO-constrained Viterbi (shipped decoding)");
        report.AppendLine();
        report.Append(NerReport.Markdown(result.Dev));
        report.AppendLine();
        report.AppendLine("## Dev set, greedy argmax (for comparison; may be invalid BIO)");
        report.AppendLine();
        report.Append(NerReport.Markdown(result.DevGreedy));
        report.AppendLine();
        report.AppendLine("## Entity-type confusion (dev)");
        report.AppendLine();
        report.Append(Confusion(result, dev, dev2).Markdown());
        report.AppendLine();
        report.AppendLine("## Epochs");
        report.AppendLine();
        report.Append(EpochTable.Markdown(result.Epochs, "F1", result.BestEpoch));
        report.AppendLine();
        report.AppendLine($"![learning curves]({Path.GetFileName(paths.Curves)})");
        File.WriteAllText(paths.Report, report.ToString());

        NerReport.Print(result.Dev, "dev (constrained Viterbi)");
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"dev greedy F1 {result.DevGreedy.F1 * 100:F2}"));
        AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(settings.Output)}, {Markup.Escape(paths.Report)}, {Markup.Escape(paths.Curves)}[/]");
        var summary = ScoreJson(result.Dev);
        summary["greedyF1"] = Math.Round(result.DevGreedy.F1, 4);
        summary["bestEpoch"] = result.BestEpoch;
        summary["secondsToBestEpoch"] = Math.Round(result.SecondsToBest, 2);
        summary["totalSeconds"] = Math.Round(result.TotalSeconds, 2);
        Console.WriteLine(summary.ToJsonString());
        return 0;
    }

    public static JsonObject ScoreJson(ConllScore score)
    {
        var perType = new JsonObject();
        foreach (var type in score.ByType.Keys) perType[type] = Math.Round(score.For(type).F1, 4);
        return new JsonObject
        {
            ["f1"] = Math.Round(score.F1, 4),
            ["precision"] = Math.Round(score.Precision, 4),
            ["recall"] = Math.Round(score.Recall, 4),
            ["accuracy"] = Math.Round(score.Accuracy, 4),
            ["entities"] = score.GoldEntities,
            ["tokens"] = score.Tokens,
            ["perTypeF1"] = perType,
        };
    }

    private static EntityConfusion Confusion(NerTrainingResult result, IReadOnlyList<TaggedSentence> dev, NerTrainer.EncodedCorpus corpus)
    {
        var tagger = new EntityTagger(result.Network, new ServeNet.Core.Text.WordTokenizer(ServeNet.Core.Text.TokenizerSettings.Ner),
            result.Features, BioLabels.Conll, result.Transitions, result.Start,
            new ServeNet.Core.Models.ModelInfo("eval", EntityTagger.Kind, "", "", BioLabels.Conll.Labels, 0, [], ""));
        var workspace = result.Network.CreateWorkspace(256);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        for (int s = 0; s < dev.Count; s++)
        {
            int n = corpus.Length(s);
            var batch = ServeNet.Core.Tensors.TokenBatch.FixedWidth(
                corpus.Windows.AsMemory(corpus.Starts[s] * result.Features.Slots, n * result.Features.Slots), n, result.Features.Slots, new int[n + 1]);
            var logits = result.Network.Forward(batch, workspace, ServeNet.Core.Layers.PassContext.Inference).ToArray();
            var path = tagger.Decode(logits, n, new float[logits.Length]);
            pairs.Add((dev[s].Tags, path.Select(i => BioLabels.Conll.Labels[i]).ToArray()));
        }
        return new EntityConfusion(BioLabels.Conll.Types, pairs);
    }
}
