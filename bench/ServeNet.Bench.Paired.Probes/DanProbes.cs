using System.Diagnostics;
using ServeNet.Core.Kernels;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;

namespace ServeNet.Bench.Paired.Probes;

/// <summary>
/// The shipped sentiment DAN on SST dev (both sides load the same checkpoint): the network alone on prepared ids at 1 row
/// (a request alone), 32 rows (a served batch's half) and 64 (a batch on one core), one thread; and from raw text at
/// batch 1 and at batch 64, split as served.
/// </summary>
internal static class DanProbes
{
    public static Func<(string, double)[]> Create()
    {
        var texts = Probes.RealSentences(BenchData.SentimentSentences(), "SST dev (sst/cased/dev.tsv)");
        var model = TextClassifier.Load(Path.Combine(BenchData.ModelsDirectory, "sentiment.ckpt"));
        var workspace = model.Network.CreateWorkspace(64);
        var batches = new[] { 1, 32, 64 }.ToDictionary(rows => rows, rows => Batches(model, texts, rows));
        var textBatches = texts.Chunk(64).Where(b => b.Length == 64).ToArray();
        return () =>
        {
            int previous = KernelSet.MaxThreads;
            KernelSet.MaxThreads = 1;
            var figures = batches.Select(pair => ($"network alone, {pair.Key} rows, 1 thread, us a sentence",
                MicrosecondsPerText(pair.Key, i => model.Probabilities(pair.Value[i % pair.Value.Length], workspace)))).ToList();
            KernelSet.MaxThreads = previous;
            figures.Add(("raw text, batch 1, us a sentence", MicrosecondsPerText(1, i => model.Classify(texts[i % texts.Length]))));
            figures.Add(("raw text, batch 64 split across the cores, us a sentence",
                MicrosecondsPerText(64, i => model.Classify(textBatches[i % textBatches.Length]))));
            return figures.ToArray();
        };
    }

    private static TokenBatch[] Batches(TextClassifier model, string[] texts, int rows) =>
        texts.Chunk(rows).Where(b => b.Length == rows).Select(chunk =>
        {
            var ids = new List<int>();
            var offsets = new int[rows + 1];
            for (int i = 0; i < rows; i++)
            {
                TextClassifier.EncodeIds(model.Vocabulary, model.Tokenizer.Tokenize(chunk[i]).Select(t => t.Value).ToArray(), model.Bag, ids);
                offsets[i + 1] = ids.Count;
            }
            return new TokenBatch(ids.ToArray(), offsets);
        }).ToArray();

    private static double MicrosecondsPerText(int textsPerCall, Action<int> call)
    {
        var round = Stopwatch.StartNew();
        int calls = 0;
        while (round.Elapsed.TotalMilliseconds < 150) call(calls++);
        return round.Elapsed.TotalMicroseconds / ((double)calls * textsPerCall);
    }
}
