using System.Diagnostics;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;

namespace ServeNet.Bench;

/// <summary>Where inference time goes: tokenization alone vs the whole call (a quick breakdown, not a peer comparison).</summary>
internal static class ProfileBenchmark
{
    public static int Run()
    {
        var sentiment = TextClassifier.Load(Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt"));
        var tagger = EntityTagger.Load(Path.Combine(BenchData.ModelsDirectory, "ner.ckpt"));
        var (_, sst) = BenchData.SentimentSentences();
        var (_, news) = BenchData.NewsSentences();
        void Time(string name, string[] inputs, Action<string> action)
        {
            foreach (var s in inputs.Take(200)) action(s);
            var sw = Stopwatch.StartNew();
            int n = 0;
            while (sw.Elapsed.TotalSeconds < 1) action(inputs[n++ % inputs.Length]);
            Console.WriteLine($"{name,-28} {sw.Elapsed.TotalMicroseconds / n,8:F1} µs/call");
        }
        Time("sentiment tokenize", sst, s => sentiment.Tokenizer.Tokenize(s));
        Time("sentiment classify", sst, s => sentiment.Classify([s]));
        Time("ner tokenize", news, s => tagger.Tokenizer.Tokenize(s));
        Time("ner tag", news, s => tagger.Tag([s]));
        var tokens = news.Select(s => tagger.Tokenizer.Tokenize(s).Select(t => t.Value).ToArray()).ToArray();
        var feats = new int[200 * tagger.Features.PerToken];
        Time("ner features+windows", news, s =>
        {
            var t = tokens[Array.IndexOf(news, s) % tokens.Length];
            tagger.Features.TokenFeatures(t, feats);
        });
        int n = 16;
        var windows = new int[n * tagger.Features.Slots];
        var ws = tagger.Network.CreateWorkspace(n);
        var batch = ServeNet.Core.Tensors.TokenBatch.FixedWidth(windows, n, tagger.Features.Slots, new int[n + 1]);
        Time("ner forward (16 tokens)", news, _ => tagger.Network.Forward(batch, ws, ServeNet.Core.Layers.PassContext.Inference));
        var logits = tagger.Network.Forward(batch, ws, ServeNet.Core.Layers.PassContext.Inference).ToArray();
        var probs = new float[logits.Length];
        Time("ner decode (16 tokens)", news, _ => tagger.Decode(logits, n, probs));
        return 0;
    }
}
