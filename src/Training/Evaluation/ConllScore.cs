using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ServeNet.Training.Evaluation;

/// <summary>Counts behind entity precision/recall/F1, overall and per type, plus token accuracy (as conlleval).</summary>
public sealed class ConllScore
{
    public int Tokens { get; internal set; }
    public int CorrectTags { get; internal set; }
    public int GoldEntities { get; internal set; }
    public int GuessedEntities { get; internal set; }
    public int CorrectEntities { get; internal set; }
    public SortedDictionary<string, (int Gold, int Guessed, int Correct)> ByType { get; } = new(StringComparer.Ordinal);

    public double Accuracy => Tokens == 0 ? 0 : (double)CorrectTags / Tokens;
    public double Precision => GuessedEntities == 0 ? 0 : (double)CorrectEntities / GuessedEntities;
    public double Recall => GoldEntities == 0 ? 0 : (double)CorrectEntities / GoldEntities;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public (double Precision, double Recall, double F1) For(string type)
    {
        var (gold, guessed, correct) = ByType.GetValueOrDefault(type);
        double p = guessed == 0 ? 0 : (double)correct / guessed, r = gold == 0 ? 0 : (double)correct / gold;
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    /// <summary>The report exactly as conlleval prints it (percentages with two decimals).</summary>
    public string ToConllevalText()
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.Append(c, $"processed {Tokens} tokens with {GoldEntities} phrases; found: {GuessedEntities} phrases; correct: {CorrectEntities}.\n");
        if (Tokens > 0)
            s.Append(c, $"accuracy: {100 * Accuracy,6:F2}%; precision: {100 * Precision,6:F2}%; recall: {100 * Recall,6:F2}%; FB1: {100 * F1,6:F2}\n");
        foreach (var (type, counts) in ByType)
        {
            var (p, r, f) = For(type);
            s.Append(c, $"{type,17}: precision: {100 * p,6:F2}%; recall: {100 * r,6:F2}%; FB1: {100 * f,6:F2}  {counts.Guessed}\n");
        }
        return s.ToString();
    }

    /// <summary>The figures as the JSON lines of <c>train ner</c> and <c>evaluate</c> print them (fractions, 4 decimals).</summary>
    public JsonObject ToJson()
    {
        var perType = new JsonObject();
        foreach (var type in ByType.Keys) perType[type] = Math.Round(For(type).F1, 4);
        return new JsonObject
        {
            ["f1"] = Math.Round(F1, 4),
            ["precision"] = Math.Round(Precision, 4),
            ["recall"] = Math.Round(Recall, 4),
            ["accuracy"] = Math.Round(Accuracy, 4),
            ["entities"] = GoldEntities,
            ["tokens"] = Tokens,
            ["perTypeF1"] = perType,
        };
    }
}
