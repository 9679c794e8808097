using System.Text.Json.Nodes;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Api.Tests.Fixtures;

/// <summary>
/// Tiny checkpoints with hand-set weights, so their answers are known: the sentiment model counts
/// positive and negative words; the tagger marks runs of Capitalised words as PER and UPPER-case
/// words as ORG.
/// </summary>
public static class TinyModels
{
    public static readonly string[] SentimentLabels = ["negative", "positive"];
    private static readonly string[] Positive = ["good", "great", "wonderful", "moving", "fun"];
    private static readonly string[] Negative = ["bad", "dull", "tedious", "mess", "boring"];
    private static readonly string[] Neutral = ["a", "film", "the", ",", "."];

    /// <summary>A DAN whose 2-d embedding holds (negative words, positive words); <paramref name="strength"/> scales the logits (and changes the version).</summary>
    public static void WriteSentiment(string path, float strength = 4f, string name = "tiny-sentiment")
    {
        var vocabulary = new Vocabulary([.. Positive, .. Negative, .. Neutral]);
        var network = new Classifier<TokenBatch>(new EmbeddingBag("embedding", vocabulary.Count, 2), [new Dense("output", 2, 2)]);
        network.Initialize(new SeededRandom(7));
        var table = ((EmbeddingBag)network.Input).Table;
        Array.Clear(table.Value);
        foreach (var word in Negative) table.Row(vocabulary.IdOf(word))[0] = 1;
        foreach (var word in Positive) table.Row(vocabulary.IdOf(word))[1] = 1;
        var output = (Dense)network.Layers[0];
        // W [in 2, out 2]: dimension d votes for label d.
        Array.Clear(output.Weight.Value);
        Array.Clear(output.Bias.Value);
        output.Weight.Value[0 * 2 + 0] = strength;
        output.Weight.Value[1 * 2 + 1] = strength;
        TextClassifier.Save(path, network, vocabulary, TokenizerSettings.Sentiment, SentimentLabels, name,
            new JsonObject { ["note"] = "hand-set test weights" }, new JsonObject { ["accuracy"] = 0.875 });
    }

    /// <summary>
    /// A window-1 tagger whose only real input is the shape of the token and of its left neighbour:
    /// Capitalised → B-PER, or I-PER after a Capitalised word; UPPER → B-ORG; anything else O.
    /// </summary>
    public static void WriteNer(string path, float strength = 1f, string name = "tiny-ner")
    {
        var words = new Vocabulary(["angela", "merkel", "visited", "paris"]);
        var features = new TaggerFeatures(new TaggerFeatureSettings(Window: 1, Suffix: false, Prefix: false), words, null, null);
        int shapes = WordShape.Count;
        var input = new ConcatEmbedding("input", [new TableSpec("input.words", words.Count, 1), new TableSpec("input.shapes", shapes, shapes)],
            features.SlotTables);
        var labels = BioLabels.Conll;
        var output = new Dense("output", input.OutputSize, labels.Count);
        var network = new Classifier<TaggerBatch>(new TaggerInput("input", input, features.Settings.Window * features.PerToken, 0, null, false), [output]);
        network.Initialize(new SeededRandom(11));

        Array.Clear(input.Tables[0].Value);
        var shapeTable = input.Tables[1];
        Array.Clear(shapeTable.Value);
        for (int s = 1; s < shapes; s++) shapeTable.Row(s)[s] = 1; // one-hot shapes; padding stays zero

        // Row layout per window position p (0 = left, 1 = centre, 2 = right): [word (1), shape one-hot (shapes)].
        int Shape(int position, int shape) => position * (1 + shapes) + 1 + shape;
        int L = labels.Count;
        const int initial = 3, upper = 2; // WordShape.Names: "Initial", "UPPER"
        Array.Clear(output.Weight.Value);
        Array.Clear(output.Bias.Value);
        output.Bias.Value[labels.Index["O"]] = 2 * strength;
        output.Bias.Value[labels.Index["I-PER"]] = -2 * strength;
        output.Weight.Value[Shape(1, initial) * L + labels.Index["B-PER"]] = 4 * strength;
        output.Weight.Value[Shape(1, initial) * L + labels.Index["I-PER"]] = 4 * strength;
        output.Weight.Value[Shape(0, initial) * L + labels.Index["I-PER"]] = 3 * strength;
        output.Weight.Value[Shape(0, initial) * L + labels.Index["B-PER"]] = -3 * strength;
        output.Weight.Value[Shape(1, upper) * L + labels.Index["B-ORG"]] = 5 * strength;
        EntityTagger.Save(path, network, features, labels, null, null, name,
            new JsonObject { ["note"] = "hand-set test weights" }, new JsonObject { ["f1"] = 0.5 });
    }
}
