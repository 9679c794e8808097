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

    public static ClassificationMetrics Evaluate(IReadOnlyList<TextClassifier> models, IReadOnlyList<LabelledSentence> examples)
    {
        var labels = models[0].Labels;
        var texts = examples.Select(e => e.Text).ToArray();
        var sum = new double[texts.Length * labels.Count];
        foreach (var model in models)
        {
            for (int start = 0; start < texts.Length; start += BatchSize)
            {
                var results = model.Classify(texts[start..Math.Min(texts.Length, start + BatchSize)]);
                for (int i = 0; i < results.Length; i++)
                    for (int c = 0; c < labels.Count; c++) sum[(start + i) * labels.Count + c] += results[i].Probabilities[c];
            }
        }
        var predicted = new int[texts.Length];
        for (int i = 0; i < predicted.Length; i++)
            predicted[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(sum.AsSpan(i * labels.Count, labels.Count));
        return new ClassificationMetrics(labels, examples.Select(e => e.Label).ToArray(), predicted);
    }

    public static ClassificationMetrics Evaluate(TextClassifier model, IReadOnlyList<LabelledSentence> examples) => Evaluate([model], examples);
}
