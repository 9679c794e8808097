using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Core.Training;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>
/// Mini-batches of whole sentences for the window tagger: the window rows of every token of the
/// chosen sentences, their labels, and the sentence offsets (for sentence-level likelihood). Word
/// dropout replaces each real token's word id by the unknown word with probability p, so the
/// tagger learns to use context. Reuses its buffers.
/// </summary>
public sealed class WindowBatches(NerTrainer.EncodedCorpus corpus, TaggerFeatures features, float wordDropout, SeededRandom random)
    : IBatchSource<TokenBatch>
{
    private int[] _windows = [], _labels = [], _offsets = [], _segments = [];

    public int Count => corpus.Starts.Length - 1;

    public TrainingBatch<TokenBatch> Build(ReadOnlySpan<int> sentences)
    {
        int rows = 0;
        foreach (int s in sentences) rows += corpus.Length(s);
        int slots = features.Slots;
        Grow(ref _windows, rows * slots);
        Grow(ref _labels, rows);
        Grow(ref _offsets, rows + 1);
        Grow(ref _segments, sentences.Length + 1);
        int row = 0;
        for (int i = 0; i < sentences.Length; i++)
        {
            int first = corpus.Starts[sentences[i]], n = corpus.Length(sentences[i]);
            corpus.Windows.AsSpan(first * slots, n * slots).CopyTo(_windows.AsSpan(row * slots));
            corpus.Labels.AsSpan(first, n).CopyTo(_labels.AsSpan(row));
            _segments[i] = row;
            row += n;
        }
        _segments[sentences.Length] = rows;
        DropWords(_windows.AsSpan(0, rows * slots));
        var batch = TokenBatch.FixedWidth(_windows.AsMemory(0, rows * slots), rows, slots, _offsets);
        return new(batch, _labels.AsMemory(0, rows), _segments.AsMemory(0, sentences.Length + 1));
    }

    private void DropWords(Span<int> windows)
    {
        if (wordDropout <= 0) return;
        for (int slot = 0; slot < windows.Length; slot += features.PerToken)
            if (windows[slot] != Vocabulary.PaddingId && random.NextFloat() < wordDropout) windows[slot] = Vocabulary.UnknownId;
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, buffer.Length * 2)];
    }
}
