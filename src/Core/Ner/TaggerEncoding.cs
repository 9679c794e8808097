namespace ServeNet.Core.Ner;

/// <summary>
/// Documents turned into what <see cref="TaggerBatch"/> carries, tokens back to back: window rows, sentence
/// and document boundaries, character ids, and per token the distance back to the first mention of its word in
/// its document (−1: none). Built once per corpus for training, once per request for serving.
/// </summary>
public sealed class TaggerEncoding
{
    private readonly TaggerFeatures _features;
    private readonly List<int> _windows = [], _sentenceStarts = [0], _documentStarts = [0], _chars = [], _charOffsets = [0], _mentionBack = [];
    private int[] _tokenFeatures = [];

    public TaggerEncoding(TaggerFeatures features) => _features = features;

    public int Rows => _mentionBack.Count;
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
        var firstMention = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tokens in sentences)
        {
            int n = tokens.Count, first = Rows;
            if (_tokenFeatures.Length < n * perToken) _tokenFeatures = new int[Math.Max(n * perToken, _tokenFeatures.Length * 2)];
            _features.TokenFeatures(tokens, _tokenFeatures);
            var windows = new int[n * slots];
            _features.Windows(_tokenFeatures, n, windows);
            _windows.AddRange(windows);
            for (int t = 0; t < n; t++)
            {
                if (_features.Chars is not null) _features.CharIds(tokens[t], _chars);
                _charOffsets.Add(_chars.Count);
                string? key = _features.Settings.Mentions ? TaggerFeatures.MentionKey(tokens[t]) : null;
                int back = -1;
                if (key is not null)
                {
                    if (firstMention.TryGetValue(key, out int leader)) back = first + t - leader;
                    else
                    {
                        firstMention[key] = first + t;
                        back = 0;
                    }
                }
                _mentionBack.Add(back);
            }
            _sentenceStarts.Add(Rows);
        }
        _documentStarts.Add(Sentences);
    }

    /// <summary>Every document in one batch.</summary>
    public TaggerBatch All() => new(_windows.ToArray(), Rows, _features.Slots, _sentenceStarts.ToArray(), _chars.ToArray(),
        _charOffsets.ToArray(), Leaders(0, Rows));

    private int[] Leaders(int first, int count)
    {
        var leaders = new int[count];
        for (int t = 0; t < count; t++)
            leaders[t] = _mentionBack[first + t] < 0 ? -1 : t - _mentionBack[first + t];
        return leaders;
    }

    /// <summary>Copies sentences into a batch buffer; whole documents in order keep their mention groups.</summary>
    public void CopySentence(int sentence, TaggerBatchBuffer buffer)
    {
        int first = _sentenceStarts[sentence], n = SentenceLength(sentence), slots = _features.Slots;
        int row = buffer.Rows;
        buffer.Reserve(n * slots, _charOffsets[first + n] - _charOffsets[first]);
        for (int k = 0; k < n * slots; k++) buffer.Windows[row * slots + k] = _windows[first * slots + k];
        for (int t = 0; t < n; t++)
        {
            int back = _mentionBack[first + t];
            buffer.Mentions[row + t] = back < 0 || row + t - back < 0 ? -1 : row + t - back;
            for (int c = _charOffsets[first + t]; c < _charOffsets[first + t + 1]; c++) buffer.Chars[buffer.CharCount++] = _chars[c];
            buffer.CharOffsets[row + t + 1] = buffer.CharCount;
        }
        buffer.EndSentence(n);
    }
}

/// <summary>A reusable batch under construction: sentences appended by <see cref="TaggerEncoding.CopySentence"/>.</summary>
public sealed class TaggerBatchBuffer(int slots)
{
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
