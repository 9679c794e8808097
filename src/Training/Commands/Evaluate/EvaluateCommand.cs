using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;
using ServeNet.Training.Reporting;

namespace ServeNet.Training.Commands.Evaluate;

/// <summary>
/// "evaluate": scores a checkpoint on any labelled file of its corpus format (SST "label&lt;TAB&gt;sentence"
/// for the sentiment model, CoNLL columns for the tagger), prints a report, and ends with one line of
/// JSON. Several checkpoints given together are scored as an ensemble: mean probabilities for the
/// sentiment model; for taggers, mean emission scores (and mean transition scores when they use a
/// CRF, a product of experts in log space) decoded with BIO-constrained Viterbi.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Build()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "Checkpoint(s) to evaluate (several: an ensemble)", Required = true, AllowMultipleArgumentsPerToken = true };
        var data = new Option<string>("--data", "-d") { Description = "Labelled file in the corpus format of the model", Required = true };
        var reliability = new Option<string?>("--reliability") { Description = "Sentiment: also write a reliability diagram (PNG) to this path" };
        var command = new Command("evaluate", "Score a checkpoint on a labelled file; the last line is JSON") { models, data, reliability };
        command.SetAction(result => Run(result.GetValue(models)!, result.GetValue(data)!, result.GetValue(reliability)));
        return command;
    }

    public static int Run(IReadOnlyList<string> models, string data, string? reliability = null)
    {
        var checkpoints = models.Select(path => Checkpoint.Read(path)).ToArray();
        string kind = checkpoints[0].Require<string>("kind");
        if (checkpoints.Any(c => c.Require<string>("kind") != kind))
            throw new ArgumentException("All --model checkpoints must be of the same kind.");
        var summary = kind switch
        {
            TextClassifier.Kind => EvaluateSentiment(checkpoints.Select(TextClassifier.FromCheckpoint).ToArray(), data, reliability),
            EntityTagger.Kind => EvaluateNer(checkpoints.Select(EntityTagger.FromCheckpoint).ToArray(), data),
            _ => throw new CheckpointException(checkpoints[0].Path, "metadata.kind", $"{TextClassifier.Kind} or {EntityTagger.Kind}", kind),
        };
        summary["models"] = new JsonArray(checkpoints.Select(c => (JsonNode)c.Require<string>("version")!).ToArray());
        summary["data"] = data;
        Console.WriteLine(summary.ToJsonString());
        return 0;
    }

    private static JsonObject EvaluateSentiment(TextClassifier[] models, string data, string? reliability)
    {
        var examples = SstReader.Read(data);
        var probabilities = SentimentEvaluator.Probabilities(models, examples);
        var metrics = SentimentEvaluator.Metrics(models[0].Labels, examples, probabilities);
        ClassificationReport.Print(metrics, $"{data} ({models.Length} model{(models.Length > 1 ? "s" : "")})");
        var summary = metrics.ToJson();
        if (models.Length > 1) return summary;

        // Calibration as served (the checkpoint's temperature) and as it would be at T = 1.
        float temperature = models[0].Temperature;
        var gold = examples.Select(e => e.Label).ToArray();
        var after = new Calibration(probabilities, gold);
        var before = new Calibration(probabilities.Select(p => Calibration.Uncalibrated(p, temperature)).ToList(), gold);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calibration: temperature {temperature:F3}; expected calibration error (15 bins) {before.ExpectedCalibrationError:F4} at T = 1, {after.ExpectedCalibrationError:F4} as served"));
        if (reliability is not null)
        {
            ReliabilityDiagram.Save(reliability, before, after, temperature, $"Reliability on {Path.GetFileName(data)}");
            Console.WriteLine($"wrote {reliability}");
        }
        summary["temperature"] = Math.Round(temperature, 4);
        summary["eceBefore"] = Math.Round(before.ExpectedCalibrationError, 4);
        summary["eceAfter"] = Math.Round(after.ExpectedCalibrationError, 4);
        return summary;
    }

    private static JsonObject EvaluateNer(EntityTagger[] taggers, string data)
    {
        var evaluation = NerEvaluator.Evaluate(taggers, ConllReader.Read(data, taggers[0].Labels));
        var score = evaluation.Constrained;
        NerReport.Print(score, data);
        Console.WriteLine();
        Console.Write(score.ToConllevalText());
        Console.WriteLine();
        Console.WriteLine(evaluation.Confusion(taggers[0].Labels.Types).Markdown());
        return score.ToJson();
    }
}
