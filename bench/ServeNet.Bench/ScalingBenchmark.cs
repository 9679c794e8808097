using System.Globalization;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Bench;

/// <summary>
/// Inference time against text length (10 to 10,000 tokens, one text) and against batch size (1 to
/// 256 dev sentences): a table, and a PNG plot in docs/. Both should grow linearly once the fixed
/// per-call cost is amortised.
/// </summary>
internal static class ScalingBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        var sentiment = TextClassifier.Load(Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt"));
        var tagger = EntityTagger.Load(Path.Combine(BenchData.ModelsDirectory, "ner.ckpt"));
        var (_, news) = BenchData.NewsSentences();
        var (_, sst) = BenchData.SentimentSentences();
        string corpus = string.Join(' ', news);
        var corpusTokens = tagger.Tokenizer.Tokenize(corpus);
        var results = new Dictionary<string, double>();
        int rounds = quick ? 3 : 7;

        int[] lengths = [10, 30, 100, 300, 1000, 3000, 10000];
        Console.WriteLine("# time against text length (one text of n tokens), median µs per call");
        Console.WriteLine($"{"tokens",7} {"classify µs",12} {"ner µs",10} {"ner µs/token",13}");
        var lengthRows = new List<(double N, double Classify, double Ner)>();
        foreach (int n in lengths)
        {
            string text = corpus[..corpusTokens[Math.Min(n, corpusTokens.Count) - 1].End];
            var t = Measure.Interleaved([() => sentiment.Classify(text), () => tagger.Tag(text)], rounds, quick ? 0.05 : 0.2);
            lengthRows.Add((n, t[0] * 1e6, t[1] * 1e6));
            results[$"scaling-classify-us-{n}-tokens"] = t[0] * 1e6;
            results[$"scaling-ner-us-{n}-tokens"] = t[1] * 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n,7} {t[0] * 1e6,12:F1} {t[1] * 1e6,10:F1} {t[1] * 1e6 / n,13:F2}"));
        }

        int[] batches = [1, 2, 4, 8, 16, 32, 64, 128, 256];
        Console.WriteLine("# time against batch size (the first dev sentences), median µs per call, per text and per token");
        Console.WriteLine($"{"batch",7} {"classify µs",12} {"µs/text",9} {"ner µs",10} {"tokens",7} {"µs/token",9}");
        var batchRows = new List<(double B, double Classify, double Ner)>();
        foreach (int b in batches)
        {
            var sstBatch = sst.Take(b).ToArray();
            var newsBatch = news.Take(b).ToArray();
            int tokens = newsBatch.Sum(s => tagger.Tokenizer.Tokenize(s).Count);
            var t = Measure.Interleaved([() => sentiment.Classify(sstBatch), () => tagger.Tag(newsBatch)], rounds, quick ? 0.05 : 0.2);
            batchRows.Add((b, t[0] * 1e6, t[1] * 1e6));
            results[$"scaling-classify-us-per-text-batch-{b}"] = t[0] * 1e6 / b;
            results[$"scaling-ner-us-per-token-batch-{b}"] = t[1] * 1e6 / tokens;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{b,7} {t[0] * 1e6,12:F1} {t[0] * 1e6 / b,9:F2} {t[1] * 1e6,10:F1} {tokens,7} {t[1] * 1e6 / tokens,9:F2}"));
        }

        Directory.CreateDirectory("docs");
        Draw(lengthRows, "tokens in one text", "Time against text length", "docs/scaling-length.png");
        Draw(batchRows, "texts per call (dev sentences)", "Time against batch size", "docs/scaling-batch.png");
        Console.WriteLine("# plots: docs/scaling-length.png, docs/scaling-batch.png (log-log; slope 1 is linear growth)");
        return results;
    }

    private static void Draw(List<(double X, double Classify, double Ner)> rows, string x, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        const string y = "time per call (µs)";
        var classify = plot.Add.Scatter(rows.Select(r => Math.Log10(r.X)).ToArray(), rows.Select(r => Math.Log10(r.Classify)).ToArray());
        classify.LegendText = "/classify model";
        var ner = plot.Add.Scatter(rows.Select(r => Math.Log10(r.X)).ToArray(), rows.Select(r => Math.Log10(r.Ner)).ToArray());
        ner.LegendText = "/ner model";
        plot.Axes.Bottom.Label.Text = $"log10 {x}";
        plot.Axes.Left.Label.Text = $"log10 {y}";
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 700, 450);
    }
}
