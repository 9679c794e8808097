using ServeNet.Core.Sentiment;
using ServeNet.Training.Data;

namespace ServeNet.Training.Evaluation;

/// <summary>
/// Scores sentiment models on labelled sentences from raw text, exactly as they serve: the trainer
/// (each epoch), <c>evaluate</c> and the tests all go through here. Several models are scored as an
/// ensemble (mean probabilities).
/// </summary>
public static class SentimentEvaluator
{
    /// <summary>Sentences per forward pass.</summary>
    public const int BatchSize = 256;

    public static ClassificationMetrics Evaluate(IReadOnlyList<TextClassifier> models, IReadOnlyList<LabelledSentence> examples) =>
        Metrics(models[0].Labels, examples, Probabilities(models, examples));

    public static ClassificationMetrics Evaluate(TextClassifier model, IReadOnlyList<LabelledSentence> examples) => Evaluate([model], examples);

    /// <summary>The label of the highest probability per example, scored against the gold labels.</summary>
    public static ClassificationMetrics Metrics(IReadOnlyList<string> labels, IReadOnlyList<LabelledSentence> examples, IReadOnlyList<float[]> probabilities)
    {
        var predicted = probabilities.Select(p => System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(p)).ToArray();
        return new ClassificationMetrics(labels, examples.Select(e => e.Label).ToArray(), predicted);
    }

    /// <summary>Probabilities [examples][labels] as served (each model's temperature applied), averaged over the models.</summary>
    public static float[][] Probabilities(IReadOnlyList<TextClassifier> models, IReadOnlyList<LabelledSentence> examples)
    {
        int classes = models[0].Labels.Count;
        var texts = examples.Select(e => e.Text).ToArray();
        var mean = texts.Select(_ => new float[classes]).ToArray();
        foreach (var model in models)
        {
            for (int start = 0; start < texts.Length; start += BatchSize)
            {
                var results = model.Classify(texts[start..Math.Min(texts.Length, start + BatchSize)]);
                for (int i = 0; i < results.Length; i++)
                    for (int c = 0; c < classes; c++) mean[start + i][c] += results[i].Probabilities[c] / models.Count;
            }
        }
        return mean;
    }
}
