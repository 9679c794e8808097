using System.Diagnostics;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Embeddings;

/// <summary>What one epoch of skip-gram training did: mean loss per (context, word) pair, pairs seen, seconds.</summary>
public sealed record SkipGramEpoch(int Epoch, double MeanLoss, long Pairs, double Seconds);

/// <summary>
/// Trains word vectors with the skip-gram objective and negative sampling (Mikolov et al. 2013,
/// word2vec's algorithm): every word of a sentence, after frequent-word subsampling, is predicted
/// from each context word within a window drawn from 1..Window, against Negatives noise words drawn
/// from the unigram distribution to the ¾ power. The step size decays linearly over all words of all
/// epochs. Threads = 1 is deterministic; more threads share the tables without locks (Hogwild).
/// </summary>
public static class SkipGram
{
    /// <summary>Input vectors start uniform in ±0.5/dim (word2vec); output vectors start at zero.</summary>
    public static WordVectors Train(SkipGramCorpus corpus, SkipGramSettings settings, Action<SkipGramEpoch>? epochFinished = null)
    {
        if (corpus.Words.Count == 0) throw new ArgumentException("The corpus has no word seen often enough: lower MinCount or add text.", nameof(corpus));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Window);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Negatives);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Threads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.LearningRate);
        return settings.Kernel switch
        {
            "vectorized" => Train<VectorizedSkipGramUpdate>(corpus, settings, epochFinished),
            "reference" => Train<ReferenceSkipGramUpdate>(corpus, settings, epochFinished),
            _ => throw new ArgumentException($"Unknown skip-gram kernel '{settings.Kernel}': expected vectorized or reference.", nameof(settings)),
        };
    }

    private static WordVectors Train<TUpdate>(SkipGramCorpus corpus, SkipGramSettings settings, Action<SkipGramEpoch>? epochFinished)
        where TUpdate : struct, ISkipGramUpdate
    {
        int vocabulary = corpus.Words.Count, dim = settings.Dimension;
        var random = new SeededRandom(settings.Seed);
        var input = new float[(long)vocabulary * dim];
        random.Fork(0).FillUniform(input, -0.5f / dim, 0.5f / dim);
        var output = new float[(long)vocabulary * dim];

        var noiseWeights = corpus.Counts.Select(c => Math.Pow(c, settings.NoisePower)).ToArray();
        var noise = new AliasSampler(noiseWeights);
        var keep = KeepProbabilities(corpus, settings.Subsample);
        var chunks = Chunks(corpus, settings.Threads);
        var schedule = new RateSchedule(settings.LearningRate, (long)corpus.Tokens.Length * settings.Epochs);

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var totals = new (double Loss, long Pairs)[chunks.Length];
            int e = epoch;
            if (chunks.Length == 1) totals[0] = Worker<TUpdate>(corpus, settings, chunks[0], input, output, noise, keep, schedule, random.Fork(StreamOf(e, 0)));
            else Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = chunks.Length },
                t => totals[t] = Worker<TUpdate>(corpus, settings, chunks[t], input, output, noise, keep, schedule, random.Fork(StreamOf(e, t))));
            long pairs = totals.Sum(t => t.Pairs);
            epochFinished?.Invoke(new SkipGramEpoch(epoch, pairs == 0 ? 0 : totals.Sum(t => t.Loss) / pairs, pairs, clock.Elapsed.TotalSeconds));
        }
        return new WordVectors(corpus.Words, input, dim);
    }

    private static ulong StreamOf(int epoch, int thread) => 1000UL * (ulong)epoch + (ulong)thread;

    // One thread's pass over its sentences. Rows are read and written in place: with several
    // threads the updates race, which Hogwild shows costs nothing measurable for sparse updates.
    private static (double Loss, long Pairs) Worker<TUpdate>(SkipGramCorpus corpus, SkipGramSettings settings, (int First, int End) sentences,
        float[] input, float[] output, AliasSampler noise, float[] keep, RateSchedule schedule, SeededRandom random)
        where TUpdate : struct, ISkipGramUpdate
    {
        int dim = settings.Dimension, window = settings.Window;
        var kept = new int[MaxSentenceLength(corpus, sentences)];
        var targets = new int[settings.Negatives + 1];
        var e = new float[dim];
        double loss = 0;
        long pairs = 0, wordsSinceReport = 0;
        float rate = schedule.Rate;
        for (int s = sentences.First; s < sentences.End; s++)
        {
            int start = corpus.SentenceStarts[s], end = corpus.SentenceStarts[s + 1];
            int n = 0;
            for (int t = start; t < end; t++)
            {
                int word = corpus.Tokens[t];
                if (keep[word] >= 1f || random.NextFloat() < keep[word]) kept[n++] = word;
            }
            for (int i = 0; i < n; i++)
            {
                int center = kept[i];
                int reach = window - random.NextInt(window);
                int from = Math.Max(0, i - reach), to = Math.Min(n - 1, i + reach);
                for (int j = from; j <= to; j++)
                {
                    if (j == i) continue;
                    targets[0] = center;
                    int m = 1;
                    for (int k = 0; k < settings.Negatives; k++)
                    {
                        int sample = noise.Sample(random);
                        if (sample != center) targets[m++] = sample;
                    }
                    loss += TUpdate.Apply(input.AsSpan(kept[j] * dim, dim), output, targets.AsSpan(0, m), rate, e);
                    pairs++;
                }
            }
            wordsSinceReport += end - start;
            if (wordsSinceReport >= 10_000)
            {
                rate = schedule.Advance(wordsSinceReport);
                wordsSinceReport = 0;
            }
        }
        schedule.Advance(wordsSinceReport);
        return (loss, pairs);
    }

    /// <summary>Per word, the probability (√(f/t) + 1)·t/f of keeping an occurrence (f its frequency, t the threshold), at most 1.</summary>
    internal static float[] KeepProbabilities(SkipGramCorpus corpus, double threshold)
    {
        var keep = new float[corpus.Words.Count];
        for (int w = 0; w < keep.Length; w++)
        {
            double f = corpus.Counts[w] / (double)corpus.TotalCount;
            keep[w] = threshold <= 0 ? 1f : (float)Math.Min(1, (Math.Sqrt(f / threshold) + 1) * threshold / f);
        }
        return keep;
    }

    // Contiguous runs of sentences with about equal numbers of words, one per thread.
    private static (int First, int End)[] Chunks(SkipGramCorpus corpus, int threads)
    {
        threads = Math.Max(1, Math.Min(threads, corpus.Sentences));
        var chunks = new (int, int)[threads];
        int first = 0;
        for (int t = 0; t < threads; t++)
        {
            long target = (long)corpus.Tokens.Length * (t + 1) / threads;
            int end = first;
            while (end < corpus.Sentences && (t == threads - 1 || corpus.SentenceStarts[end + 1] <= target || end == first)) end++;
            chunks[t] = (first, end);
            first = end;
        }
        return chunks;
    }

    private static int MaxSentenceLength(SkipGramCorpus corpus, (int First, int End) sentences)
    {
        int max = 0;
        for (int s = sentences.First; s < sentences.End; s++) max = Math.Max(max, corpus.SentenceStarts[s + 1] - corpus.SentenceStarts[s]);
        return max;
    }

    /// <summary>η = η₀·max(10⁻⁴, 1 − words done / all words), shared by the threads.</summary>
    private sealed class RateSchedule(float initial, long totalWords)
    {
        private long _done;

        public float Rate => initial * (float)Math.Max(1e-4, 1 - Interlocked.Read(ref _done) / (double)(totalWords + 1));

        public float Advance(long words)
        {
            Interlocked.Add(ref _done, words);
            return Rate;
        }
    }
}
