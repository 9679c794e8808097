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
            EntityTagger.Kind => EvaluateNer(checkpoints.Select(EntityTagger.FromCheckpoint).ToArray(), data),
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

    private static JsonObject EvaluateNer(EntityTagger[] taggers, string data)
    {
        var tagger = taggers[0];
        if (taggers.Any(t => t.UsesCrf != tagger.UsesCrf))
            throw new ArgumentException("An NER ensemble must be all CRF taggers or all softmax taggers.");
        var sentences = ConllReader.Read(data, tagger.Labels);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>(sentences.Count);
        foreach (var sentence in sentences)
        {
            var path = taggers.Length == 1 ? tagger.TagTokens(sentence.Words).Path : EnsemblePath(taggers, sentence.Words);
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

    private static int[] EnsemblePath(EntityTagger[] taggers, IReadOnlyList<string> words)
    {
        int n = words.Count, labels = taggers[0].Labels.Count;
        if (n == 0) return [];
        var scores = new float[n * labels];
        foreach (var tagger in taggers)
        {
            var (_, emissions) = tagger.TagTokens(words);
            if (!tagger.UsesCrf)
            {
                // Softmax taggers: average log-probabilities.
                for (int t = 0; t < n; t++)
                {
                    var row = emissions.AsSpan(t * labels, labels);
                    float logSumExp = ServeNet.Core.Losses.SoftmaxCrossEntropy.LogSumExp(row);
                    for (int j = 0; j < labels; j++) row[j] -= logSumExp;
                }
            }
            System.Numerics.Tensors.TensorPrimitives.Add(scores, emissions, scores);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(scores, 1f / taggers.Length, scores);
        if (!taggers[0].UsesCrf) return BioDecoder.Viterbi(scores, n, taggers[0].Labels);
        var transitions = new float[labels * labels];
        var start = new float[labels];
        foreach (var tagger in taggers)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(transitions, tagger.Transitions!, transitions);
            System.Numerics.Tensors.TensorPrimitives.Add(start, tagger.Start!, start);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(transitions, 1f / taggers.Length, transitions);
        System.Numerics.Tensors.TensorPrimitives.Multiply(start, 1f / taggers.Length, start);
        return BioDecoder.Viterbi(scores, n, taggers[0].Labels, transitions, start);
    }
}
