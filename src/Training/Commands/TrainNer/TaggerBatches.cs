using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;
using ServeNet.Core.Training;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>
/// Mini-batches for the tagger: the chosen sentences (or whole documents, when the tagger pools the other
/// mentions of a word, which must be in the batch) with their labels and sentence offsets (for
/// sentence-level likelihood). Word dropout replaces each real token's word ids (lowercased and cased) by the
/// unknown word with probability p, so the tagger learns to use context. Reuses its buffers.
/// </summary>
public sealed class TaggerBatches(NerTrainer.EncodedCorpus corpus, TaggerFeatures features, float wordDropout, SeededRandom random, bool documents)
    : IBatchSource<TaggerBatch>
{
    private readonly TaggerBatchBuffer _buffer = new(features.Slots);
    private int[] _labels = [];

    /// <summary>Sentences, or documents when <c>documents</c> is set.</summary>
    public int Count => documents ? corpus.Encoding.Documents : corpus.Encoding.Sentences;

    public TrainingBatch<TaggerBatch> Build(ReadOnlySpan<int> examples)
    {
        var encoding = corpus.Encoding;
        _buffer.Clear();
        foreach (int example in examples)
        {
            int first = documents ? encoding.DocumentStarts[example] : example;
            int end = documents ? encoding.DocumentStarts[example + 1] : example + 1;
            for (int s = first; s < end; s++) encoding.CopySentence(s, _buffer);
        }
        if (_labels.Length < _buffer.Rows) _labels = new int[Math.Max(_buffer.Rows, _labels.Length * 2)];
        int row = 0;
        foreach (int example in examples)
        {
            int first = documents ? encoding.DocumentStarts[example] : example;
            int end = documents ? encoding.DocumentStarts[example + 1] : example + 1;
            for (int s = first; s < end; s++)
            {
                int n = encoding.SentenceLength(s);
                corpus.Labels.AsSpan(encoding.SentenceStarts[s], n).CopyTo(_labels.AsSpan(row));
                row += n;
            }
        }
        DropWords(_buffer.WindowIds);
        return new(_buffer.Batch(), _labels.AsMemory(0, _buffer.Rows), _buffer.SentenceStarts.AsMemory(0, _buffer.Sentences + 1));
    }

    private void DropWords(Span<int> windows)
    {
        if (wordDropout <= 0) return;
        int cased = features.CasedWords is null ? -1 : features.PerToken - 1;
        for (int slot = 0; slot < windows.Length; slot += features.PerToken)
        {
            if (windows[slot] == Vocabulary.PaddingId || random.NextFloat() >= wordDropout) continue;
            windows[slot] = Vocabulary.UnknownId;
            if (cased > 0) windows[slot + cased] = Vocabulary.UnknownId;
        }
    }
}
