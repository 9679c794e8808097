using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Api.Models;

/// <summary>
/// The request every model must answer correctly before it serves: it runs every code path a real
/// request takes (batching, explanation, decoding) and checks the shape and sanity of the answer.
/// </summary>
public static class ModelWarmUp
{
    private static readonly string[] Texts = ["A warm-up sentence from Paris about a film.", "ok", ""];

    public static void Classifier(TextClassifier model)
    {
        var results = model.Classify(Texts);
        Require(results.Length == Texts.Length, $"{Texts.Length} results", $"{results.Length}");
        foreach (var result in results)
        {
            Require(result.Probabilities.Length == model.Labels.Count, $"{model.Labels.Count} probabilities", $"{result.Probabilities.Length}");
            CheckDistribution(result.Probabilities);
            Require(result.Label == model.Labels[result.LabelIndex], $"label \"{model.Labels[result.LabelIndex]}\"", $"\"{result.Label}\"");
        }
        var (explained, contributions) = model.Explain(Texts[0]);
        Require(contributions.Length == explained.Tokens.Count, $"{explained.Tokens.Count} contributions", $"{contributions.Length}");
        foreach (var c in contributions) Require(float.IsFinite(c.Contribution), "finite contributions", $"{c.Contribution}");
    }

    public static void Tagger(EntityTagger model)
    {
        var results = model.Tag(Texts);
        Require(results.Length == Texts.Length, $"{Texts.Length} results", $"{results.Length}");
        for (int i = 0; i < results.Length; i++)
        {
            string text = Texts[i];
            var tags = results[i].Tokens.Select(t => t.Tag).ToArray();
            for (int t = 0; t < tags.Length; t++)
            {
                Require(model.Labels.Index.ContainsKey(tags[t]), "a known tag", $"\"{tags[t]}\"");
                Require(model.Labels.Allowed(t == 0 ? -1 : model.Labels.Index[tags[t - 1]], model.Labels.Index[tags[t]]),
                    "a valid BIO sequence", string.Join(" ", tags));
                float p = results[i].Tokens[t].Probability;
                Require(p is >= 0f and <= 1.0001f, "tag probabilities in [0, 1]", $"{p}");
            }
            foreach (var e in results[i].Entities)
                Require(e.Start >= 0 && e.End <= text.Length && e.Start < e.End && text[e.Start..e.End] == e.Text,
                    "entity offsets inside the text", $"[{e.Start}, {e.End}) \"{e.Text}\"");
        }
    }

    private static void CheckDistribution(float[] probabilities)
    {
        float sum = 0;
        foreach (float p in probabilities)
        {
            Require(float.IsFinite(p) && p >= 0, "finite, non-negative probabilities", $"{p}");
            sum += p;
        }
        Require(MathF.Abs(sum - 1f) < 1e-3f, "probabilities summing to 1", $"{sum}");
    }

    private static void Require(bool condition, string expected, string actual)
    {
        if (!condition) throw new ModelValidationException($"warm-up request: expected {expected}, found {actual}.");
    }
}
