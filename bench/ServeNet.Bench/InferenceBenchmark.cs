using System.Globalization;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Bench;

/// <summary>
/// In-process inference from raw text with the shipped models: sentences/second for the
/// sentiment DAN and tokens/second for the NER tagger, at batch 1 and batch 64. Everything a
/// request pays for is inside the timing: tokenization, vocabulary lookup, network, decoding.
/// </summary>
internal static class InferenceBenchmark
{
    public static Dictionary<string, double> Run(bool quick)
    {
        var results = new Dictionary<string, double>();
        var sentiment = TextClassifier.Load(Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt"));
        var tagger = EntityTagger.Load(Path.Combine(BenchData.ModelsDirectory, "ner.ckpt"));
        var (sstSource, sst) = BenchData.SentimentSentences();
        var (conllSource, news) = BenchData.NewsSentences();
        Console.WriteLine($"# {Machine.Describe()}");
        Console.WriteLine($"# inference from raw text, {sentiment.Info.Version} and {tagger.Info.Version}; batch 1 on one thread, batch 64 split across the cores and on one");
        Console.WriteLine($"# sentences: {sstSource} ({sst.Length}), {conllSource} ({news.Length})");
        int rounds = quick ? 5 : 11;
        double seconds = quick ? 0.1 : 0.3;

        int newsTokens = news.Sum(s => tagger.Tokenizer.Tokenize(s).Count);
        double tokensPerSentence = newsTokens / (double)news.Length;

        foreach (int batch in new[] { 1, 64 })
        {
            var sstBatches = Batches(sst, batch);
            var newsBatches = Batches(news, batch);
            int i = 0, j = 0;
            // A batch is split across the cores (BatchSplit, on the GEMM workers); at batch 64 each call is also timed on
            // one core, in the same rounds: run inside part 0 of a job of the workers, so that nothing in it can take
            // them (part 1 has nothing to do).
            T OneCore<T>(Func<T> run)
            {
                T result = default!;
                while (!ServeNet.Core.Kernels.GemmWorkers.TryRun(part => { if (part == 0) result = run(); }, 2)) Thread.Yield();
                return result;
            }
            Action[] contenders = batch == 1
                ? [() => sentiment.Classify(sstBatches[i++ % sstBatches.Length]), () => tagger.Tag(newsBatches[j++ % newsBatches.Length])]
                : [() => sentiment.Classify(sstBatches[i++ % sstBatches.Length]), () => tagger.Tag(newsBatches[j++ % newsBatches.Length]),
                   () => OneCore(() => sentiment.Classify(sstBatches[i++ % sstBatches.Length])), () => OneCore(() => tagger.Tag(newsBatches[j++ % newsBatches.Length]))];
            var timings = Measure.Interleaved(contenders, rounds, seconds);
            double sentencesPerSecond = batch / timings[0];
            double tokensPerSecond = batch * tokensPerSentence / timings[1];
            results[$"dan-sentences-per-second-b{batch}"] = sentencesPerSecond;
            results[$"ner-tokens-per-second-b{batch}"] = tokensPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch,3}: sentiment {sentencesPerSecond,12:N0} sentences/s   ner {tokensPerSecond,12:N0} tokens/s ({batch / timings[1]:N0} sentences/s){(batch > 1 ? $", split across {Math.Min(Environment.ProcessorCount, batch / BatchSplit.MinTextsPerPart)} cores" : "")}"));
            if (batch == 1) continue;
            double oneCoreSentences = batch / timings[2], oneCoreTokens = batch * tokensPerSentence / timings[3];
            results[$"dan-sentences-per-second-b{batch}-one-core"] = oneCoreSentences;
            results[$"ner-tokens-per-second-b{batch}-one-core"] = oneCoreTokens;
            results[$"dan-b{batch}-split-vs-one-core"] = sentencesPerSecond / oneCoreSentences;
            results[$"ner-b{batch}-split-vs-one-core"] = tokensPerSecond / oneCoreTokens;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch,3}: sentiment {oneCoreSentences,12:N0} sentences/s   ner {oneCoreTokens,12:N0} tokens/s ({batch / timings[3]:N0} sentences/s), one core"));
        }
        ModelAlone(sentiment, tagger, sst, news, results, rounds, seconds);
        ComparePeers(results, quick);
        return results;
    }

    // The networks alone on prepared ids, as the PyTorch peer measures itself: no tokenization,
    // no feature extraction, no response objects (NER still decodes: Viterbi and marginals). Both
    // run as they serve: the DAN with its first layer precomputed, the tagger with its cached projections.
    private static void ModelAlone(TextClassifier sentiment, EntityTagger tagger, string[] sst, string[] news,
        Dictionary<string, double> results, int rounds, double seconds)
    {
        var sstIds = sst.Select(t =>
        {
            var ids = new List<int>();
            TextClassifier.EncodeIds(sentiment.Vocabulary, sentiment.Tokenizer.Tokenize(t).Select(x => x.Value).ToArray(), sentiment.Bag, ids);
            return ids.ToArray();
        }).ToArray();
        var newsTokens = news.Select(t => tagger.Tokenizer.Tokenize(t).Select(x => x.Value).ToArray()).ToArray();
        Console.WriteLine("# the same models alone (ids and windows prepared, like the PyTorch peer)");
        foreach (int batch in new[] { 1, 64 })
        {
            var danBatches = Enumerable.Range(0, sstIds.Length / batch).Select(b =>
            {
                var rows = sstIds.Skip(b * batch).Take(batch).ToArray();
                var offsets = new int[batch + 1];
                for (int i = 0; i < batch; i++) offsets[i + 1] = offsets[i] + rows[i].Length;
                return new ServeNet.Core.Tensors.TokenBatch(rows.SelectMany(r => r).ToArray(), offsets);
            }).ToArray();
            var nerBatches = Enumerable.Range(0, newsTokens.Length / batch).Select(b =>
            {
                var sentences = newsTokens.Skip(b * batch).Take(batch).ToArray();
                var encoding = new TaggerEncoding(tagger.Features);
                foreach (var t in sentences) encoding.AddDocument([t]);
                return (Batch: encoding.All(), Lengths: sentences.Select(t => t.Length).ToArray());
            }).ToArray();
            var danWorkspace = sentiment.Network.CreateWorkspace(batch);
            var nerWorkspace = tagger.Network.CreateWorkspace(64 * 40);
            var probabilities = new float[4096 * tagger.Labels.Count];
            int i = 0, j = 0;
            var timings = Measure.Interleaved(
            [
                () => sentiment.Probabilities(danBatches[i++ % danBatches.Length], danWorkspace),
                () =>
                {
                    var (nerBatch, lengths) = nerBatches[j++ % nerBatches.Length];
                    var scores = tagger.Scores(nerBatch, nerWorkspace);
                    int row = 0;
                    foreach (int n in lengths)
                    {
                        tagger.Decode(scores.Slice(row * tagger.Labels.Count, n * tagger.Labels.Count), n, probabilities);
                        row += n;
                    }
                },
            ], rounds, seconds);
            double tokens = nerBatches.Average(b => b.Lengths.Sum());
            results[$"model-dan-sentences-per-second-b{batch}"] = batch / timings[0];
            results[$"model-ner-tokens-per-second-b{batch}"] = tokens / timings[1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch,3}: sentiment {batch / timings[0],12:N0} sentences/s   ner {tokens / timings[1],12:N0} tokens/s"));
        }
    }

    // PyTorch times its model alone (ids prepared up front); ServeNet and ML.NET start from raw text.
    private static void ComparePeers(Dictionary<string, double> results, bool quick)
    {
        string seconds = quick ? "1" : "3";
        if (Peers.TorchMissing() is { } missing)
        {
            Console.Error.WriteLine(missing);
        }
        else
        {
            Console.WriteLine("# PyTorch 1.13 (model alone, no tokenization), best of 1 and 2 threads");
            ComparePyTorch(results, seconds, "pytorch", "pytorch-model", "", [], []);
            results["infer-dan-vs-pytorch"] = results["infer-dan-vs-pytorch-b1"];
            results["infer-ner-vs-pytorch"] = results["infer-ner-vs-pytorch-b1"];

            // The plain networks above are smaller than the shipped ones (the tagger: one 550-input network, not two
            // of 1,850 inputs with characters and mentions); the same checkpoints in PyTorch, as the FastAPI peer loads them.
            Console.WriteLine("# PyTorch 1.13, the shipped checkpoints' networks (torch_serve.py's port; model alone), best of 1 and 2 threads");
            ComparePyTorch(results, seconds, "pytorch-shipped", "pytorch-shipped", " (shipped networks)",
                ["--checkpoint", Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt")], ["--checkpoint", Path.Combine(BenchData.ModelsDirectory, "ner.ckpt")]);
        }

        Console.WriteLine("# ML.NET 5.0.1 FeaturizeText + SDCA (from raw text)");
        var mlnet = Peers.MlNet("--seconds", seconds);
        foreach (int batch in new[] { 1, 64 })
        {
            double rate = mlnet[$"batch{batch}_sentences_per_second"]!.GetValue<double>();
            results[$"mlnet-sentences-per-second-b{batch}"] = rate;
            results[$"infer-dan-vs-mlnet-b{batch}"] = results[$"dan-sentences-per-second-b{batch}"] / rate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {batch,3}: ml.net {rate,12:N0} sentences/s"));
        }
        results["mlnet-dev-accuracy"] = mlnet["dev_accuracy"]!.GetValue<double>();
        results["mlnet-train-seconds"] = mlnet["train_seconds"]!.GetValue<double>();
    }

    // PyTorch's DAN and tagger (torch_peer.py infer-dan / infer-ner with the given arguments), best of 1 and 2 threads, at
    // batch 1 and 64: their rates as "{name}-…", our models alone against them as "infer-…-vs-{name}-b…" and our raw-text
    // figures as "raw-text-…-vs-{rawName}-b…".
    private static void ComparePyTorch(Dictionary<string, double> results, string seconds, string name, string rawName, string label,
        string[] danArgs, string[] nerArgs)
    {
        foreach (int batch in new[] { 1, 64 })
        {
            double dan = 0, ner = 0;
            foreach (int threads in new[] { 1, 2 })
            {
                string[] common = ["--batch", $"{batch}", "--threads", $"{threads}", "--seconds", seconds];
                dan = Math.Max(dan, Peers.Torch("infer-dan", [.. danArgs, .. common])["sentences_per_second"]!.GetValue<double>());
                ner = Math.Max(ner, Peers.Torch("infer-ner", [.. nerArgs, .. common])["tokens_per_second"]!.GetValue<double>());
            }
            results[$"{name}-dan-sentences-per-second-b{batch}"] = dan;
            results[$"{name}-ner-tokens-per-second-b{batch}"] = ner;
            // Like for like: our models alone against PyTorch's model alone.
            results[$"infer-dan-vs-{name}-b{batch}"] = results[$"model-dan-sentences-per-second-b{batch}"] / dan;
            results[$"infer-ner-vs-{name}-b{batch}"] = results[$"model-ner-tokens-per-second-b{batch}"] / ner;
            results[$"raw-text-dan-vs-{rawName}-b{batch}"] = results[$"dan-sentences-per-second-b{batch}"] / dan;
            results[$"raw-text-ner-vs-{rawName}-b{batch}"] = results[$"ner-tokens-per-second-b{batch}"] / ner;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch,3}: pytorch dan {dan,12:N0} sentences/s   ner {ner,12:N0} tokens/s{label}"));
        }
    }

    private static string[][] Batches(string[] sentences, int size) =>
        Enumerable.Range(0, Math.Max(1, sentences.Length / size)).Select(b => sentences.Skip(b * size).Take(size).ToArray()).ToArray();
}
