using System.Globalization;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;

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
        Console.WriteLine($"# inference from raw text, {sentiment.Info.Version} and {tagger.Info.Version}, 1 thread per call");
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
            var timings = Measure.Interleaved(
            [
                () => sentiment.Classify(sstBatches[i++ % sstBatches.Length]),
                () => tagger.Tag(newsBatches[j++ % newsBatches.Length]),
            ], rounds, seconds);
            double sentencesPerSecond = batch / timings[0];
            double tokensPerSecond = batch * tokensPerSentence / timings[1];
            results[$"dan-sentences-per-second-b{batch}"] = sentencesPerSecond;
            results[$"ner-tokens-per-second-b{batch}"] = tokensPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch,3}: sentiment {sentencesPerSecond,12:N0} sentences/s   ner {tokensPerSecond,12:N0} tokens/s ({batch / timings[1]:N0} sentences/s)"));
        }
        return results;
    }

    private static string[][] Batches(string[] sentences, int size) =>
        Enumerable.Range(0, Math.Max(1, sentences.Length / size)).Select(b => sentences.Skip(b * size).Take(size).ToArray()).ToArray();
}
