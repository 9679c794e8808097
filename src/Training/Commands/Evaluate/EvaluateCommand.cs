using System.CommandLine;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Training.Commands.TrainNer;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;

namespace ServeNet.Training.Commands.Evaluate;

/// <summary>
/// "evaluate": scores a checkpoint on any labelled file of its corpus format (SST "label&lt;TAB&gt;sentence"
/// for the sentiment model, CoNLL columns for the tagger), prints a report, and ends with one line of
/// JSON. Several sentiment checkpoints given together are scored as an ensemble (mean probabilities).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Build()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "Checkpoint(s) to evaluate (several sentiment models: an ensemble)", Required = true, AllowMultipleArgumentsPerToken = true };
        var data = new Option<string>("--data", "-d") { Description = "Labelled file in the corpus format of the model", Required = true };
        var command = new Command("evaluate", "Score a checkpoint on a labelled file; the last line is JSON") { models, data };
        command.SetAction(result => Run(result.GetValue(models)!, result.GetValue(data)!));
        return command;
    }

    public static int Run(IReadOnlyList<string> models, string data)
    {
        var checkpoints = models.Select(Checkpoint.Read).ToArray();
        string kind = checkpoints[0].Require<string>("kind");
        if (checkpoints.Any(c => c.Require<string>("kind") != kind))
            throw new ArgumentException("All --model checkpoints must be of the same kind.");
        var summary = kind switch
        {
            TextClassifier.Kind => EvaluateSentiment(checkpoints.Select(TextClassifier.FromCheckpoint).ToArray(), data),
            EntityTagger.Kind when checkpoints.Length == 1 => EvaluateNer(EntityTagger.FromCheckpoint(checkpoints[0]), data),
            EntityTagger.Kind => throw new ArgumentException("Ensembles are supported for the sentiment model only; give one NER checkpoint."),
            _ => throw new CheckpointException(checkpoints[0].Path, "metadata.kind", $"{TextClassifier.Kind} or {EntityTagger.Kind}", kind),
        };
        summary["models"] = new JsonArray(checkpoints.Select(c => (JsonNode)c.Require<string>("version")!).ToArray());
        summary["data"] = data;
        Console.WriteLine(summary.ToJsonString());
        return 0;
    }

    private static JsonObject EvaluateSentiment(TextClassifier[] models, string data)
    {
        var examples = SstReader.Read(data);
        var labels = models[0].Labels;
        var texts = examples.Select(e => e.Text).ToArray();
        var sum = new double[texts.Length, labels.Count];
        foreach (var model in models)
        {
            for (int start = 0; start < texts.Length; start += 256)
            {
                var results = model.Classify(texts[start..Math.Min(texts.Length, start + 256)]);
                for (int i = 0; i < results.Length; i++)
                    for (int c = 0; c < labels.Count; c++) sum[start + i, c] += results[i].Probabilities[c];
            }
        }
        var predicted = Enumerable.Range(0, texts.Length)
            .Select(i => Enumerable.Range(0, labels.Count).MaxBy(c => sum[i, c])).ToArray();
        var metrics = new ClassificationMetrics(labels, examples.Select(e => e.Label).ToArray(), predicted);
        ClassificationReport.Print(metrics, $"{data} ({models.Length} model{(models.Length > 1 ? "s" : "")})");
        return new JsonObject { ["accuracy"] = Math.Round(metrics.Accuracy, 4), ["examples"] = metrics.Examples };
    }

    private static JsonObject EvaluateNer(EntityTagger tagger, string data)
    {
        var sentences = ConllReader.Read(data, tagger.Labels);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>(sentences.Count);
        foreach (var sentence in sentences)
        {
            var (path, _) = tagger.TagTokens(sentence.Words);
            pairs.Add((sentence.Tags, path.Select(i => tagger.Labels.Labels[i]).ToArray()));
        }
        var score = ConllScorer.Score(pairs);
        NerReport.Print(score, data);
        Console.WriteLine();
        Console.Write(score.ToConllevalText());
        Console.WriteLine();
        Console.WriteLine(new EntityConfusion(tagger.Labels.Types, pairs).Markdown());
        return TrainNerCommand.ScoreJson(score);
    }
}
