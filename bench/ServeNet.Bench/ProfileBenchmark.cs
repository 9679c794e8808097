using System.Diagnostics;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Bench;

/// <summary>Where inference time goes, stage by stage (a breakdown for tuning, not a peer comparison).</summary>
internal static class ProfileBenchmark
{
    public static int Run()
    {
        var sentiment = TextClassifier.Load(Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt"));
        var tagger = EntityTagger.Load(Path.Combine(BenchData.ModelsDirectory, "ner.ckpt"));
        var (_, sst) = BenchData.SentimentSentences();
        var (_, news) = BenchData.NewsSentences();
        var tokens = news.Select(s => tagger.Tokenizer.Tokenize(s).Select(t => t.Value).ToArray()).ToArray();
        Console.WriteLine($"# {Machine.Describe()}");
        Console.WriteLine($"# µs per call, one sentence per call; news sentences average {tokens.Average(t => t.Length):F1} tokens");

        // µs per call (per item with items > 1: a call of a batch reports its cost per sentence).
        double Time(string name, int count, Action<int> action, int items = 1)
        {
            // Warmed up for a time, not a number of calls: 300 calls of the tagger (~50 ms) ended before the runtime's
            // tier-1 code had replaced the tier-0 code, and the first tagger line read 1.5x the next (§1k).
            int n = 0;
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < Measure.WarmUpSeconds) action(n++ % count);
            var sw = Stopwatch.StartNew();
            n = 0;
            while (sw.Elapsed.TotalSeconds < 1) action(n++ % count);
            double micros = sw.Elapsed.TotalMicroseconds / n / items;
            Console.WriteLine($"{name,-44} {micros,8:F2}");
            return micros;
        }

        Time("sentiment: tokenize", sst.Length, i => sentiment.Tokenizer.Tokenize(sst[i]));
        Time("sentiment: classify (all)", sst.Length, i => sentiment.Classify(sst[i]));
        var sstIds = sst.Select(t =>
        {
            var ids = new List<int>();
            TextClassifier.EncodeIds(sentiment.Vocabulary, sentiment.Tokenizer.Tokenize(t).Select(x => x.Value).ToArray(), sentiment.Bag, ids);
            return ids.ToArray();
        }).ToArray();
        var dan = sentiment.Network.CreateWorkspace(4);
        var offsets = new int[2];
        Time("sentiment: network only", sst.Length, i =>
        {
            offsets[1] = sstIds[i].Length;
            sentiment.Network.PredictProbabilities(new ServeNet.Core.Tensors.TokenBatch(sstIds[i], offsets), dan);
        });
        Time("sentiment: network, first layer precomputed", sst.Length, i =>
        {
            offsets[1] = sstIds[i].Length;
            sentiment.Probabilities(new ServeNet.Core.Tensors.TokenBatch(sstIds[i], offsets), dan);
        });
        Console.WriteLine($"  (precomputed first layer {sentiment.PrecomputedBytes / 1e6:F1} MB)");
        var bagRow = new float[sentiment.Network.Input.OutputSize];
        Time("sentiment:   of which the embedding bag", sst.Length, i =>
        {
            offsets[1] = sstIds[i].Length;
            sentiment.Network.Input.Forward(new ServeNet.Core.Tensors.TokenBatch(sstIds[i], offsets), bagRow, dan.Input, PassContext.Inference);
        });
        var sstTokens = sst.Select(t => sentiment.Tokenizer.Tokenize(t).Select(x => x.Value).ToArray()).ToArray();
        var idList = new List<int>();
        Time("sentiment: encode ids", sst.Length, i => { idList.Clear(); TextClassifier.EncodeIds(sentiment.Vocabulary, sstTokens[i], sentiment.Bag, idList); });
        // Batch 64, per sentence: raw text to ids the way serving did before (a string per token) and does
        // now (spans of one buffer), against the network alone on the same ids (issue 17: text ≤ network).
        var sstBatches = Enumerable.Range(0, sst.Length / 64).Select(b => sst.AsSpan(b * 64, 64).ToArray()).ToArray();
        var sstBatchIds = sstBatches.Select(batch =>
        {
            var ids = new List<int>();
            var starts = new int[batch.Length + 1];
            for (int t = 0; t < batch.Length; t++) starts[t + 1] = starts[t] + TextClassifier.EncodeIds(sentiment.Vocabulary,
                sentiment.Tokenizer.Tokenize(batch[t]).Select(x => x.Value).ToArray(), sentiment.Bag, ids, typos: sentiment.Typos);
            return new ServeNet.Core.Tensors.TokenBatch(ids.ToArray(), starts);
        }).ToArray();
        double strings = Time("sentiment b64: text → ids, a string per token", sstBatches.Length, b =>
        {
            idList.Clear();
            foreach (string text in sstBatches[b])
                TextClassifier.EncodeIds(sentiment.Vocabulary, sentiment.Tokenizer.Tokenize(text).Select(x => x.Value).ToArray(), sentiment.Bag, idList, typos: sentiment.Typos);
        }, 64);
        var spans = new ServeNet.Core.Text.TokenSpans();
        double spanPath = Time("sentiment b64: text → ids, spans (serving)", sstBatches.Length, b =>
        {
            idList.Clear();
            foreach (string text in sstBatches[b])
            {
                sentiment.Tokenizer.Tokenize(text, spans);
                TextClassifier.EncodeIds(sentiment.Vocabulary, spans, sentiment.Bag, idList, typos: sentiment.Typos);
            }
        }, 64);
        var segments = new List<(int, int)>();
        Time("sentiment b64:   of which segmentation", sstBatches.Length, b =>
        {
            foreach (string text in sstBatches[b]) { segments.Clear(); ServeNet.Core.Text.PtbPreTokenizer.Split(text, segments); }
        }, 64);
        Time("sentiment b64:   of which segmentation + forms", sstBatches.Length, b =>
        {
            foreach (string text in sstBatches[b]) sentiment.Tokenizer.Tokenize(text, spans);
        }, 64);
        var dan64 = sentiment.Network.CreateWorkspace(64);
        double network = Time("sentiment b64: network only", sstBatches.Length, b => sentiment.Network.PredictProbabilities(sstBatchIds[b], dan64), 64);
        double served = Time("sentiment b64: network, first layer precomputed", sstBatches.Length, b => sentiment.Probabilities(sstBatchIds[b], dan64), 64);
        var bagOut = new float[64 * sentiment.Network.Input.OutputSize];
        Time("sentiment b64:   of which the embedding bag", sstBatches.Length, b => sentiment.Network.Input.Forward(sstBatchIds[b], bagOut, dan64.Input, PassContext.Inference), 64);
        // How sparse the dense layers' inputs are: at batch 1 the row kernel skips the rows of B that a zero multiplies.
        var layers = sentiment.Network.Layers;
        var reluOutputs = Enumerable.Range(0, layers.Count).Where(l => layers[l] is Dense { Activation: ServeNet.Core.Kernels.Activation.Relu }).ToArray();
        double zeroShare = sstBatchIds.Average(b =>
        {
            sentiment.Network.Forward(b, dan64, PassContext.Inference);
            return reluOutputs.Average(l => { var x = dan64.Activation(l + 1, 64); return x.ToArray().Count(v => v == 0f) / (double)x.Length; });
        });
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  (widths {sentiment.Network.Input.OutputSize}→{string.Join("→", layers.Select(l => l.OutputSize))}; {sstBatchIds.Average(b => b.Ids.Length / 64.0):F1} ids a sentence, {sstBatchIds.Average(b => b.Ids.ToArray().Count(id => id >= sentiment.Vocabulary.Count) / 64.0):F2} of them in a scope; ReLU outputs {zeroShare:P0} zeros)"));
        Time("sentiment b64: classify (all)", sstBatches.Length, b => sentiment.Classify(sstBatches[b]), 64);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"profile-dan-b64-spans-vs-strings: {strings / spanPath:F2}\nprofile-dan-b64-text-vs-network: {spanPath / network:F2}\nprofile-dan-b64-text-vs-served-network: {spanPath / served:F2}"));
        Time("ner: tokenize", news.Length, i => tagger.Tokenizer.Tokenize(news[i]));
        var features = new int[200 * tagger.Features.PerToken];
        var windows = new int[200 * tagger.Features.Slots];
        Time("ner: features + windows", news.Length, i =>
        {
            tagger.Features.TokenFeatures(tokens[i], features);
            tagger.Features.Windows(features, tokens[i].Length, windows);
        });
        var batches = tokens.Select(t =>
        {
            var encoding = new TaggerEncoding(tagger.Features);
            encoding.AddDocument([t]);
            return encoding.All();
        }).ToArray();
        var workspace = tagger.Network.CreateWorkspace(256);
        Time("ner: scores, cached projections", news.Length, i => tagger.Scores(batches[i], workspace));
        Console.WriteLine($"  ({tagger.Members.Count} member(s), cache {tagger.PrecomputedBytes / 1e6:F0} MB)");
        foreach (int rows in new[] { 16384, 1 << 20 })
        {
            var larger = WithCachedRows(tagger, rows);
            Time($"ner: scores, {(rows == 1 << 20 ? "every row" : $"{rows} rows")} cached", news.Length, i => larger.Scores(batches[i], workspace));
            Console.WriteLine($"  (cache {larger.PrecomputedBytes / 1e6:F0} MB)");
        }
        workspace.EnsureCapacity(64);
        Time("ner: layers after the first (16 rows)", news.Length, i => tagger.Network.ForwardFrom(2, 16, workspace, PassContext.Inference));
        var x16 = new float[16 * 300];
        var w = ((Dense)tagger.Network.Layers[3]).Weight.Value;
        var y16 = new float[16 * 9];
        Time("  gemm 16x300x9", 1, _ => ServeNet.Core.Kernels.MatMul.Multiply(x16, w, y16, 16, 300, 9));
        Time("ner: scores, plain network", news.Length, i => tagger.Network.Forward(batches[i], workspace, PassContext.Inference));
        var scores = batches.Select(b => tagger.Scores(b, workspace).ToArray()).ToArray();
        var probabilities = new float[200 * tagger.Labels.Count];
        Time("ner: decode (CRF marginals+Viterbi)", news.Length, i => tagger.Decode(scores[i], tokens[i].Length, probabilities));
        Time("ner: tag (all)", news.Length, i => tagger.Tag(news[i]));
        return 0;
    }

    // The same tagger (every member of an ensemble) with another number of cached rows per table.
    private static EntityTagger WithCachedRows(EntityTagger tagger, int rows)
    {
        var members = tagger.Members.Select(m => new EntityTagger(m.Network, m.Tokenizer, m.Features, m.Labels, m.Transitions, m.Start, m.Info, rows)).ToArray();
        return members.Length == 1 ? members[0] : new EntityTagger(members, tagger.Info);
    }
}
