using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ServeNet.Core.Ner;
using ServeNet.Training.Data;
using ServeNet.Training.Reporting;
using Spectre.Console;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>"train ner": trains the window tagger on CoNLL-2003 and writes checkpoint, report and learning curves.</summary>
internal static class TrainNerCommand
{
    public static Command Build() => new TrainNerOptions().ToCommand("ner", "Train the window NER tagger on CoNLL-2003 (BIO labels) and evaluate it on dev", Run);

    public static int Run(NerTrainingSettings settings)
    {
        var labels = BioLabels.Conll;
        var train = ConllReader.Read(Path.Combine(settings.DataDirectory, "train.txt"), labels);
        var dev = ConllReader.Read(Path.Combine(settings.DataDirectory, "dev.txt"), labels);
        var glove = EmbeddingReader.Load(settings.Embeddings);
        AnsiConsole.MarkupLine($"[grey]data: {train.Count:N0} train / {dev.Count:N0} dev sentences ({train.Sum(s => s.Words.Length):N0} / {dev.Sum(s => s.Words.Length):N0} tokens); embeddings {glove.Count:N0} × {glove.Dimension}[/]");

        string selection = settings.HoldOut > 0 ? "held-out" : "dev";
        var result = NerTrainer.Train(settings, glove, train, dev, new ConsoleProgress($"{selection} F1"));
        var tagger = result.Tagger;
        (settings, string? promote) = TrainingRun.Resolve(settings, tagger.Members.SelectMany(m => m.Network.Parameters).ToArray());
        var run = new TrainingRun(settings, result.TrainExamples, dev.Count, result.HeldOut?.Tagged.Count ?? 0, result.Outcome);
        var training = run.ToJson();
        if (result.Refit is { } refit)
            training["refit"] = new JsonObject { ["epochs"] = refit.Epochs.Count, ["trainSentences"] = result.TrainExamples, ["seconds"] = Math.Round(refit.TotalSeconds, 2),
                ["selectingRunDevF1"] = Math.Round(result.SelectingDev!.Constrained.F1, 4) };
        var metrics = new JsonObject { ["dev"] = result.Dev.Constrained.ToJson(), ["devGreedy"] = result.Dev.Greedy.ToJson() };
        if (result.HeldOut is not null) metrics["heldOut"] = result.HeldOut.Constrained.ToJson();
        if (tagger.Members.Count > 1) training["ensemble"] = new JsonObject { ["members"] = tagger.Members.Count,
            ["seeds"] = new JsonArray(Enumerable.Range(0, tagger.Members.Count).Select(k => (JsonNode)(settings.Seed + (ulong)k)).ToArray()) };
        EntityTagger.Save(settings.Output!, tagger, settings.Name, training, metrics);

        var sections = new List<(string, string)>
        {
            ("Dev set, BIO-constrained Viterbi (shipped decoding)", NerReport.Markdown(result.Dev.Constrained)),
            ("Dev set, greedy argmax (for comparison; may be invalid BIO)", NerReport.Markdown(result.Dev.Greedy)),
            ("Entity-type confusion (dev)", result.Dev.Confusion(labels.Types).Markdown()),
        };
        if (result.HeldOut is not null)
            sections.Add(("Held-out training documents (selection set)", NerReport.Markdown(result.HeldOut.Constrained)));
        run.WriteReport("F1", "Window NER tagger on CoNLL-2003", string.Create(CultureInfo.InvariantCulture,
            $"{RefitLine(result)}{EnsembleLine(tagger, settings)}Vocabulary {tagger.Features.Words.Count:N0} words ({result.PretrainedRows:N0} from GloVe); dev tokens unknown: {result.DevUnknownWordRate * 100:F2}%; checkpoint {new FileInfo(settings.Output!).Length / 1e6:F2} MB."),
            sections);

        NerReport.Print(result.Dev.Constrained, "dev (constrained Viterbi)");
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"dev greedy F1 {result.Dev.Greedy.F1 * 100:F2}"));
        AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(settings.Output!)}, {Markup.Escape(run.Paths.Report)}, {Markup.Escape(run.Paths.Curves)}[/]");
        if (promote is not null) Console.WriteLine($"to serve it, promote it to models/ (a running API swaps it in):\n  {promote}");
        var summary = result.Dev.Constrained.ToJson();
        summary["greedyF1"] = Math.Round(result.Dev.Greedy.F1, 4);
        if (result.HeldOut is not null) summary["heldOutF1"] = Math.Round(result.HeldOut.Constrained.F1, 4);
        if (result.Refit is { } r)
        {
            summary["refitEpochs"] = r.Epochs.Count;
            summary["refitSeconds"] = Math.Round(r.TotalSeconds, 2);
            summary["selectingRunF1"] = Math.Round(result.SelectingDev!.Constrained.F1, 4);
        }
        Console.WriteLine(run.Summary(summary).ToJsonString());
        return 0;
    }

    private static string EnsembleLine(EntityTagger tagger, NerTrainingSettings settings) => tagger.Members.Count > 1
        ? string.Create(CultureInfo.InvariantCulture,
            $"Shipped: an ensemble of {tagger.Members.Count} taggers (seeds {settings.Seed} to {settings.Seed + (ulong)tagger.Members.Count - 1}, the same settings), their label and transition scores averaged; the epoch table is the first member's, the scores below the ensemble's.\n")
        : "";

    private static string RefitLine(NerTrainingResult result) => result.Refit is { } refit
        ? string.Create(CultureInfo.InvariantCulture,
            $"Shipped weights: retrained with the same seed on all {result.TrainExamples:N0} training sentences (the held-out documents too) for the selected {refit.Epochs.Count} epochs ({refit.TotalSeconds:F1}s); the held-out figures below are the selecting run's.\n")
        : "";
}
