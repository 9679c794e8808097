using System.Diagnostics;
using ServeNet.Core.Embeddings;
using ServeNet.Core.Text;
using ServeNet.Training.Data;

// Usage: sgbench <reviews> <kernel>... (e.g. 20000 vectorized); run from the repository root (reads ../shared/data/imdb).
int n = int.Parse(args[0]);
var kernels = args.Skip(1).ToArray();
var texts = ImdbReader.ReadUnlabelled("../shared/data/imdb/unlabelled.txt").Take(n).Select(ImdbReader.PlainText).ToList();
var tokenizer = new WordTokenizer(TokenizerSettings.Sentiment);
var clock = Stopwatch.StartNew();
var tokens = new IReadOnlyList<string>[texts.Count];
Parallel.For(0, texts.Count, i => tokens[i] = tokenizer.Tokenize(texts[i]).Select(t => t.Value).ToArray());
Console.WriteLine($"tokenize {clock.Elapsed.TotalSeconds:F1}s");
clock.Restart();
var corpus = SkipGramCorpus.Build(tokens, 5);
Console.WriteLine($"corpus {corpus.Tokens.Length:N0} tokens {corpus.Words.Count:N0} words {clock.Elapsed.TotalSeconds:F1}s");
var results = new Dictionary<string, float[]>();
for (int round = 0; round < 2; round++)
foreach (var k in (round == 0 ? kernels : kernels.Reverse()))
{
    clock.Restart();
    var v = SkipGram.Train(corpus, new SkipGramSettings { Epochs = 1, Kernel = k });
    Console.WriteLine($"{k}: {clock.Elapsed.TotalSeconds:F2}s");
    results[k] = v.Vectors;
    ulong h = 1469598103934665603UL; foreach (var f in v.Vectors) { h ^= (uint)BitConverter.SingleToInt32Bits(f); h *= 1099511628211UL; }
    Console.WriteLine($"{k}: vectors hash {h:x16}");
}
var first = results[kernels[0]];
foreach (var k in kernels.Skip(1))
{
    int diff = 0; for (int i = 0; i < first.Length; i++) if (BitConverter.SingleToInt32Bits(first[i]) != BitConverter.SingleToInt32Bits(results[k][i])) diff++;
    Console.WriteLine($"{k} vs {kernels[0]}: {diff} of {first.Length} floats differ");
}
