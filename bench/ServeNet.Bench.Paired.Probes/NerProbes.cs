using System.Diagnostics;
using ServeNet.Core.Kernels;
using ServeNet.Core.Ner;

namespace ServeNet.Bench.Paired.Probes;

/// <summary>
/// The shipped tagger on CoNLL-2003 dev sentences (both sides load the same checkpoint): its scores on prepared windows
/// at batch 1 and 64 sentences, one thread (as <c>bench infer</c>'s "model alone", CRF decoding aside), and from raw
/// text at batch 1 and at batch 64 (split across the cores, as served).
/// </summary>
internal static class NerProbes
{
    public static Func<(string, double)[]> Create()
    {
        var texts = Probes.RealSentences(BenchData.NewsSentences(), "CoNLL-2003 dev (conll2003/dev.txt)");
        var sentences = texts.Select(text => text.Split(' ')).ToArray(); // the corpus's tokens, joined by spaces
        var tagger = EntityTagger.Load(Path.Combine(BenchData.ModelsDirectory, "ner.ckpt"));
        var textBatches = texts.Chunk(64).Where(b => b.Length == 64).ToArray();
        var workspace = tagger.Network.CreateWorkspace(64 * 40);
        var batches = new[] { 1, 64 }.ToDictionary(size => size, size => sentences.Chunk(size).Where(c => c.Length == size).Select(chunk =>
        {
            var encoding = new TaggerEncoding(tagger.Features);
            foreach (var words in chunk) encoding.AddDocument([words]);
            return (Batch: encoding.All(), Tokens: chunk.Sum(w => w.Length));
        }).ToArray());
        return () =>
        {
            int previous = KernelSet.MaxThreads;
            KernelSet.MaxThreads = 1;
            var figures = batches.Select(pair => ($"scores, batch {pair.Key}, 1 thread, ns a token",
                NanosecondsPerToken(i =>
                {
                    var (batch, tokens) = pair.Value[i % pair.Value.Length];
                    tagger.Scores(batch, workspace);
                    return tokens;
                }))).ToList();
            KernelSet.MaxThreads = previous;
            figures.Add(("raw text, batch 1, ns a token", NanosecondsPerToken(i => tagger.Tag(texts[i % texts.Length]).Tokens.Count)));
            figures.Add(("raw text, batch 64 split across the cores, ns a token",
                NanosecondsPerToken(i => tagger.Tag(textBatches[i % textBatches.Length]).Sum(r => r.Tokens.Count))));
            return figures.ToArray();
        };
    }

    private static double NanosecondsPerToken(Func<int, int> call)
    {
        var round = Stopwatch.StartNew();
        long tokens = 0;
        for (int i = 0; round.Elapsed.TotalMilliseconds < 150; i++) tokens += call(i);
        return round.Elapsed.TotalNanoseconds / tokens;
    }
}
