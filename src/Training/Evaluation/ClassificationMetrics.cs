using System.Text.Json.Nodes;

namespace ServeNet.Training.Evaluation;

/// <summary>Accuracy, confusion matrix and per-class precision/recall/F1 of a classifier's predictions.</summary>
public sealed class ClassificationMetrics
{
    public ClassificationMetrics(IReadOnlyList<string> labels, IReadOnlyList<int> gold, IReadOnlyList<int> predicted)
    {
        if (gold.Count != predicted.Count) throw new ArgumentException($"{gold.Count} gold labels but {predicted.Count} predictions.");
        Labels = labels;
        Confusion = new int[labels.Count, labels.Count];
        for (int i = 0; i < gold.Count; i++) Confusion[gold[i], predicted[i]]++;
        Examples = gold.Count;
        Correct = Enumerable.Range(0, labels.Count).Sum(c => Confusion[c, c]);
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>[gold, predicted] counts.</summary>
    public int[,] Confusion { get; }
    public int Examples { get; }
    public int Correct { get; }
    public double Accuracy => Examples == 0 ? 0 : (double)Correct / Examples;

    public double Precision(int c)
    {
        int predicted = Enumerable.Range(0, Labels.Count).Sum(g => Confusion[g, c]);
        return predicted == 0 ? 0 : (double)Confusion[c, c] / predicted;
    }

    public double Recall(int c)
    {
        int gold = Enumerable.Range(0, Labels.Count).Sum(p => Confusion[c, p]);
        return gold == 0 ? 0 : (double)Confusion[c, c] / gold;
    }

    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>The figures as the JSON lines of <c>train sentiment</c> and <c>evaluate</c> print them.</summary>
    public JsonObject ToJson() => new() { ["accuracy"] = Math.Round(Accuracy, 4), ["examples"] = Examples };
}
