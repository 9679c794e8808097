using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServeNet.Core.Embeddings;
using ServeNet.Core.Text;

namespace ServeNet.Training.Embeddings;

/// <summary>
/// Word vectors trained by our own skip-gram engine on in-domain text (movie reviews and the SST
/// training sentences), tokenized exactly as the classifier tokenizes. Cached by a hash of the
/// texts, the tokenizer settings and the skip-gram settings.
/// </summary>
public static class InDomainVectors
{
    /// <summary>Bump when tokenization or training changes in a way the key does not capture.</summary>
    private const string EngineVersion = "skipgram-1";

    public static WordVectors LoadOrTrain(IReadOnlyList<string> texts, WordTokenizer tokenizer, SkipGramSettings settings, string cacheDirectory,
        Action<string> log)
    {
        string key = Key(texts, tokenizer.Settings, settings);
        var clock = Stopwatch.StartNew();
        if (WordVectorCache.TryLoad(cacheDirectory, key) is { } cached)
        {
            log($"in-domain vectors: {cached.Words.Count:N0} × {cached.Dimension} loaded from {WordVectorCache.PathOf(cacheDirectory, key)} in {clock.Elapsed.TotalSeconds:F1}s");
            return cached;
        }

        log($"in-domain vectors: not cached; tokenizing {texts.Count:N0} texts");
        var tokens = new IReadOnlyList<string>[texts.Count];
        // Every core, whatever the skip-gram threads: each text lands in its own slot, so the corpus is the same.
        Parallel.For(0, texts.Count, i => tokens[i] = tokenizer.Tokenize(texts[i]).Select(t => t.Value).ToArray());
        var corpus = SkipGramCorpus.Build(tokens, settings.MinCount);
        log($"in-domain vectors: {corpus.Tokens.Length:N0} tokens, {corpus.Words.Count:N0} words seen {settings.MinCount}+ times ({clock.Elapsed.TotalSeconds:F1}s); training skip-gram, {settings.Epochs} epochs on {settings.Threads} thread(s)");
        var vectors = SkipGram.Train(corpus, settings, e =>
            log($"  skip-gram epoch {e.Epoch}: loss {e.MeanLoss:F4} over {e.Pairs:N0} pairs, {e.Seconds:F1}s"));
        WordVectorCache.Save(cacheDirectory, key, vectors);
        log($"in-domain vectors: trained in {clock.Elapsed.TotalSeconds:F1}s, cached as {WordVectorCache.PathOf(cacheDirectory, key)}");
        return vectors;
    }

    /// <summary>SHA-256 (hex, first 16 bytes) of the engine version, tokenizer and skip-gram settings, and every text.</summary>
    public static string Key(IReadOnlyList<string> texts, TokenizerSettings tokenizer, SkipGramSettings settings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(EngineVersion));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(tokenizer));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(settings));
        Span<byte> length = stackalloc byte[4];
        foreach (var text in texts)
        {
            // Length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
            BitConverter.TryWriteBytes(length, text.Length);
            hash.AppendData(length);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
