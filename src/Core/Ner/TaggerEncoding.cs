namespace ServeNet.Core.Ner;

/// <summary>
/// Documents turned into what <see cref="TaggerBatch"/> carries, tokens back to back: window rows, sentence
/// and document boundaries, character ids, and per token the distance back to the first mention of its word in
/// its document (−1: none). Built once per corpus for training, once per request for serving.
/// </summary>
public sealed class TaggerEncoding
{
    private readonly TaggerFeatures _features;
    private readonly List<int> _sentenceStarts = [0], _documentStarts = [0];
    private readonly Dictionary<string, int> _firstMention = new(StringComparer.Ordinal);
    private int[] _windows = [], _chars = [], _charOffsets = [0], _mentionBack = [], _tokenFeatures = [];
    private int _rows, _charCount;

    public TaggerEncoding(TaggerFeatures features) => _features = features;

    /// <summary>The features this encoding was made for.</summary>
    public TaggerFeatures Features => _features;

    /// <summary>Ints held by the buffers, whatever is in use (a reused encoding keeps them).</summary>
    internal long RetainedInts => (long)_windows.Length + _chars.Length + _charOffsets.Length + _mentionBack.Length + _tokenFeatures.Length;

    /// <summary>Empties the encoding, keeping its buffers (serving encodes every request into one per thread).</summary>
    public void Clear()
    {
        _sentenceStarts.Clear();
        _sentenceStarts.Add(0);
        _documentStarts.Clear();
        _documentStarts.Add(0);
        _firstMention.Clear();
        _rows = _charCount = 0;
    }

    public int Rows => _rows;
    public int Sentences => _sentenceStarts.Count - 1;
    public int Documents => _documentStarts.Count - 1;

    /// <summary>Row offsets of the sentences [Sentences + 1].</summary>
    public IReadOnlyList<int> SentenceStarts => _sentenceStarts;
    /// <summary>Sentence offsets of the documents [Documents + 1].</summary>
    public IReadOnlyList<int> DocumentStarts => _documentStarts;

    public int SentenceLength(int sentence) => _sentenceStarts[sentence + 1] - _sentenceStarts[sentence];

    public int DocumentRows(int document) => _sentenceStarts[_documentStarts[document + 1]] - _sentenceStarts[_documentStarts[document]];

    /// <summary>Appends a document (its sentences in order); one submitted text is one document of one sentence.</summary>
    public void AddDocument(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        int slots = _features.Slots, perToken = _features.PerToken;
        bool mentions = _features.Settings.Mentions;
        _firstMention.Clear();
        foreach (var tokens in sentences)
        {
            int n = tokens.Count, first = _rows;
            Grow(ref _tokenFeatures, n * perToken);
            Grow(ref _windows, (first + n) * slots);
            Grow(ref _charOffsets, first + n + 1);
            Grow(ref _mentionBack, first + n);
            _features.TokenFeatures(tokens, _tokenFeatures);
            _features.Windows(_tokenFeatures, n, _windows.AsSpan(first * slots, n * slots));
            for (int t = 0; t < n; t++)
            {
                if (_features.Chars is not null)
                {
                    Grow(ref _chars, _charCount + tokens[t].Length);
                    _charCount += _features.CharIds(tokens[t], _chars.AsSpan(_charCount));
                }
                _charOffsets[first + t + 1] = _charCount;
                string? key = mentions ? TaggerFeatures.MentionKey(tokens[t]) : null;
                int back = -1;
                if (key is not null)
                {
                    if (_firstMention.TryGetValue(key, out int leader)) back = first + t - leader;
                    else
                    {
                        _firstMention[key] = first + t;
                        back = 0;
                    }
                }
                _mentionBack[first + t] = back;
            }
            _rows += n;
            _sentenceStarts.Add(_rows);
        }
        _documentStarts.Add(Sentences);
    }

    /// <summary>Every document in one batch (views of this encoding's buffers, valid until the next <see cref="AddDocument"/>).</summary>
    public TaggerBatch All()
    {
        var leaders = new int[_rows];
        for (int t = 0; t < _rows; t++) leaders[t] = _mentionBack[t] < 0 ? -1 : t - _mentionBack[t];
        return new(_windows.AsMemory(0, _rows * _features.Slots), _rows, _features.Slots, _sentenceStarts.ToArray(),
            _chars.AsMemory(0, _charCount), _charOffsets.AsMemory(0, _rows + 1), leaders);
    }

    /// <summary>Copies a sentence into a batch buffer; whole documents copied in order keep their mention groups.</summary>
    public void CopySentence(int sentence, TaggerBatchBuffer buffer)
    {
        int first = _sentenceStarts[sentence], n = SentenceLength(sentence), slots = _features.Slots;
        int row = buffer.Rows;
        buffer.Reserve(n * slots, _charOffsets[first + n] - _charOffsets[first]);
        _windows.AsSpan(first * slots, n * slots).CopyTo(buffer.Windows.AsSpan(row * slots));
        for (int t = 0; t < n; t++)
        {
            int back = _mentionBack[first + t];
            buffer.Mentions[row + t] = back < 0 || row + t - back < 0 ? -1 : row + t - back;
            for (int c = _charOffsets[first + t]; c < _charOffsets[first + t + 1]; c++) buffer.Chars[buffer.CharCount++] = _chars[c];
            buffer.CharOffsets[row + t + 1] = buffer.CharCount;
        }
        buffer.EndSentence(n);
    }

    private static void Grow(ref int[] array, int length)
    {
        if (array.Length >= length) return;
        var bigger = new int[Math.Max(length, array.Length * 2)];
        array.CopyTo(bigger, 0);
        array = bigger;
    }
}

/// <summary>A reusable batch under construction: sentences appended by <see cref="TaggerEncoding.CopySentence"/>.</summary>
public sealed class TaggerBatchBuffer(int slots)
{
    /// <summary>Window ids per row.</summary>
    public int Slots => slots;

    /// <summary>Ints held by the buffers, whatever is in use.</summary>
    internal long RetainedInts => (long)Windows.Length + Chars.Length + CharOffsets.Length + Mentions.Length + SentenceStarts.Length;

    public int[] Windows { get; private set; } = [];
    public int[] Chars { get; private set; } = [];
    public int[] CharOffsets { get; private set; } = [0];
    public int[] Mentions { get; private set; } = [];
    public int[] SentenceStarts { get; private set; } = [0];
    public int Rows { get; private set; }
    public int Sentences { get; private set; }
    public int CharCount { get; set; }

    public void Clear()
    {
        Rows = Sentences = CharCount = 0;
    }

    internal void Reserve(int windowIds, int chars)
    {
        int rows = Rows + windowIds / slots;
        if (Windows.Length < rows * slots) Windows = Resized(Windows, rows * slots);
        if (Chars.Length < CharCount + chars) Chars = Resized(Chars, CharCount + chars);
        if (CharOffsets.Length < rows + 1) CharOffsets = Resized(CharOffsets, rows + 1);
        if (Mentions.Length < rows) Mentions = Resized(Mentions, rows);
        if (SentenceStarts.Length < Sentences + 2) SentenceStarts = Resized(SentenceStarts, Sentences + 2);
    }

    internal void EndSentence(int n)
    {
        Rows += n;
        SentenceStarts[++Sentences] = Rows;
    }

    public TaggerBatch Batch() => new(Windows.AsMemory(0, Rows * slots), Rows, slots, SentenceStarts.AsMemory(0, Sentences + 1),
        Chars.AsMemory(0, CharCount), CharOffsets.AsMemory(0, Rows + 1), Mentions.AsMemory(0, Rows));

    /// <summary>Window ids [Rows, slots] of the batch so far (e.g. for word dropout).</summary>
    public Span<int> WindowIds => Windows.AsSpan(0, Rows * slots);

    private static int[] Resized(int[] array, int length)
    {
        var bigger = new int[Math.Max(length, array.Length * 2)];
        array.CopyTo(bigger, 0);
        return bigger;
    }
}
