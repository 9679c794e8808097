using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Sentiment;

/// <summary>
/// A Deep Averaging Network over words (Iyyer et al. 2015) with its tokenizer, vocabulary and
/// labels: raw text in, label probabilities out. Thread-safe: the weights are read-only and each
/// call rents a workspace from a pool.
/// </summary>
public sealed class TextClassifier
{
    public const string Kind = "dan-text-classifier";

    private readonly WorkspacePool _workspaces;
    private readonly PrecomputedBagLayer? _fast;

    /// <param name="info">The checkpoint's identity; omitted for a model still in training.</param>
    /// <param name="temperature">Logits are divided by it before the softmax (1: as trained).</param>
    /// <param name="precomputeFirstLayer">
    /// Serve through <see cref="PrecomputedBagLayer"/>: every word's row projected through the first dense layer once,
    /// now (vocabulary × width floats, and the 8,192 most frequent words through each scope map: 58 MB for the shipped model). Only for weights that no longer change — a
    /// loaded checkpoint (<see cref="FromCheckpoint"/> turns it on), never a network in training.
    /// </param>
    public TextClassifier(Classifier<TokenBatch> network, WordTokenizer tokenizer, IReadOnlyList<string> labels, ModelInfo? info = null,
        BagFeatures? bag = null, float temperature = 1f, bool precomputeFirstLayer = false)
        : this(network, tokenizer, labels, info, bag, temperature, precomputeFirstLayer ? PrecomputedBagLayer.TryCreate(network) : null)
    {
    }

    private TextClassifier(Classifier<TokenBatch> network, WordTokenizer tokenizer, IReadOnlyList<string> labels, ModelInfo? info,
        BagFeatures? bag, float temperature, PrecomputedBagLayer? fast)
    {
        if (!(temperature > 0) || float.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "A temperature is a positive number.");
        Temperature = temperature;
        Bag = bag ?? new BagFeatures();
        if (Bag.Ngrams is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(bag), Bag.Ngrams, "Words (1) or words and bigrams (2).");
        if (network.Input is not EmbeddingBag) throw new ArgumentException("A text classifier averages word embeddings: its input must be an EmbeddingBag.");
        if (labels.Count != network.Classes) throw new ArgumentException($"{labels.Count} labels for {network.Classes} outputs.");
        Network = network;
        Tokenizer = tokenizer;
        Vocabulary = tokenizer.Vocabulary ?? throw new ArgumentException("The tokenizer needs a vocabulary.");
        Labels = labels;
        Info = info ?? ModelInfo.Unsaved(Kind, labels, Vocabulary.Count);
        Typos = Bag.TypoFallback ? new TypoIndex(Vocabulary) : null;
        _fast = fast;
        _workspaces = new WorkspacePool(() => network.CreateWorkspace(16));
    }

    public Classifier<TokenBatch> Network { get; }
    public WordTokenizer Tokenizer { get; }
    public Vocabulary Vocabulary { get; }
    public IReadOnlyList<string> Labels { get; }
    public ModelInfo Info { get; }

    /// <summary>
    /// Logits are divided by this before the softmax (temperature scaling, Guo et al. 2017), fitted on
    /// held-out training sentences so that a probability of 0.8 is right about 80% of the time. It
    /// never changes the predicted label. 1 for checkpoints written before calibration existed.
    /// </summary>
    public float Temperature { get; }

    /// <summary>This model with another temperature (same weights, tokenizer and identity).</summary>
    public TextClassifier WithTemperature(float temperature) => new(Network, Tokenizer, Labels, Info, Bag, temperature, _fast);

    /// <summary>Bytes of the first layer's precomputed projections; 0 when this model runs the plain network.</summary>
    public long PrecomputedBytes => _fast?.Bytes ?? 0;

    /// <summary>Corrects unknown words when the bag asks for it (<see cref="BagFeatures.TypoFallback"/>).</summary>
    public TypoIndex? Typos { get; }

    /// <summary>What the bag holds besides words: bigrams, negation scope.</summary>
    public BagFeatures Bag { get; }

    /// <summary>Separator of the two words of a bigram vocabulary entry ("not good").</summary>
    public const char BigramSeparator = ' ';

    /// <summary>
    /// The bag of ids of a tokenized text: one per word (with scope operators, the word's id plus
    /// scope × vocabulary size; else its "not_" form inside a negation scope when known, else the
    /// word, else the unknown word), then, with bigrams, one per adjacent pair the vocabulary knows.
    /// firstToken[k] is the first token position the k-th id covers.
    /// </summary>
    /// <param name="typos">With <see cref="BagFeatures.TypoFallback"/>: corrects words the vocabulary lacks.</param>
    public static int EncodeIds(Vocabulary vocabulary, IReadOnlyList<string> tokens, BagFeatures bag, List<int> ids, List<int>? firstToken = null,
        TypoIndex? typos = null) =>
        EncodeIds(vocabulary, new StringForms(tokens), bag, ids, firstToken, typos);

    /// <inheritdoc cref="EncodeIds(Vocabulary, IReadOnlyList{string}, BagFeatures, List{int}, List{int}?, TypoIndex?)"/>
    public static int EncodeIds<TForms>(Vocabulary vocabulary, TForms tokens, BagFeatures bag, List<int> ids, List<int>? firstToken = null,
        TypoIndex? typos = null) where TForms : ITokenForms
    {
        int start = ids.Count, n = tokens.Count;
        int[]? scopes = bag.ScopeOperators > 0 ? ArrayPool<int>.Shared.Rent(n) : null;
        bool[]? negated = bag.NegationScope && scopes is null ? ArrayPool<bool>.Shared.Rent(n) : null;
        uint[] hashes = ArrayPool<uint>.Shared.Rent(n);
        vocabulary.StartLookups(tokens, hashes.AsSpan(0, n)); // the vocabulary's misses overlap with each other and the scopes below
        if (scopes is not null) BagFeatures.OperatorScopeOf(tokens, bag.ScopeOperators, scopes.AsSpan(0, n));
        if (negated is not null) BagFeatures.NegatedPositions(tokens, negated.AsSpan(0, n));
        for (int i = 0; i < n; i++)
        {
            var word = tokens.Form(i);
            int id = -1;
            if (negated is not null && negated[i]) id = IdOfJoined(vocabulary, BagFeatures.NegatedPrefix, word);
            if (id <= 0) id = vocabulary.IdOf(word, hashes[i]);
            if (id == Vocabulary.UnknownId && typos is not null && typos.TryCorrect(word, out int corrected)) id = corrected;
            ids.Add(scopes is null ? id : id + scopes[i] * vocabulary.Count);
            firstToken?.Add(i);
        }
        ArrayPool<uint>.Shared.Return(hashes);
        if (scopes is not null) ArrayPool<int>.Shared.Return(scopes);
        if (negated is not null) ArrayPool<bool>.Shared.Return(negated);
        if (bag.Ngrams >= 2)
        {
            for (int i = 0; i + 1 < n; i++)
            {
                int id = IdOfJoined(vocabulary, tokens.Form(i), tokens.Form(i + 1), BigramSeparator);
                if (id > Vocabulary.UnknownId)
                {
                    ids.Add(id);
                    firstToken?.Add(i);
                }
            }
        }
        return ids.Count - start;
    }

    // The id of first + [separator] + second, or UnknownId, without making the string.
    private static int IdOfJoined(Vocabulary vocabulary, ReadOnlySpan<char> first, ReadOnlySpan<char> second, char? separator = null)
    {
        int length = first.Length + (separator is null ? 0 : 1) + second.Length;
        Span<char> joined = length <= 256 ? stackalloc char[length] : new char[length];
        first.CopyTo(joined);
        int at = first.Length;
        if (separator is { } c) joined[at++] = c;
        second.CopyTo(joined[at..]);
        return vocabulary.IdOf(joined);
    }

    /// <summary>Leave-one-out rows per pass of <see cref="Explain"/>: bounds its workspace whatever the text's length.</summary>
    public const int ExplainRowsPerPass = 256;

    public ClassificationResult Classify(string text) => Classify([text])[0];

    /// <summary>
    /// Classifies a batch of texts with one pass through the network (one row per text, so the
    /// workspace grows with the batch, not with the texts' length). Tokens are read as spans of one
    /// reused buffer: no string is made per token (a result's tokens are made when asked for).
    /// </summary>
    /// <param name="cancellationToken">Checked after each text is tokenized, before the pass.</param>
    /// <remarks>A batch of <see cref="BatchSplit.MinTextsPerPart"/> texts per core or more is split across the cores (<see cref="BatchSplit"/>).</remarks>
    public ClassificationResult[] Classify(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        BatchSplit.AcrossCores(texts, ClassifyOnThisThread, cancellationToken);

    private ClassificationResult[] ClassifyOnThisThread(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tokens = new TextTokens[texts.Count];
        var offsets = new int[texts.Count + 1];
        var idList = RentIds();
        var spans = RentSpans();
        for (int i = 0; i < texts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Tokenizer.Tokenize(texts[i], spans);
            tokens[i] = new TextTokens(Tokenizer, texts[i], spans.Sources());
            offsets[i + 1] = offsets[i] + EncodeIds(Vocabulary, spans, Bag, idList, typos: Typos);
        }
        ReturnSpans(spans);
        // [offsets[^1]] ids of the whole batch, in a pooled array (longer than that) for the pass only.
        int count = idList.Count;
        var ids = ArrayPool<int>.Shared.Rent(count);
        CollectionsMarshal.AsSpan(idList).CopyTo(ids);
        ReturnIds(idList);

        var results = new ClassificationResult[texts.Count];
        var workspace = _workspaces.Rent();
        try
        {
            var probabilities = Probabilities(new TokenBatch(ids.AsMemory(0, count), offsets), workspace);
            int classes = Labels.Count;
            for (int i = 0; i < texts.Count; i++)
            {
                var p = probabilities.Slice(i * classes, classes).ToArray();
                int best = TensorPrimitives.IndexOfMax<float>(p);
                results[i] = new ClassificationResult(best, Labels[best], p, tokens[i]);
            }
        }
        finally
        {
            _workspaces.Return(workspace);
            ArrayPool<int>.Shared.Return(ids);
        }
        return results;
    }

    /// <summary>
    /// Calibrated label probabilities [rows, labels] of a batch of bags (ids as <see cref="EncodeIds"/> writes them), a view
    /// into <paramref name="workspace"/> (from <c>Network.CreateWorkspace</c>): the model as it serves, without the text.
    /// </summary>
    public Span<float> Probabilities(in TokenBatch batch, Workspace workspace)
    {
        int rows = batch.Rows;
        if (_fast is null) return CalibratedProbabilities(Network.Forward(batch, workspace, PassContext.Inference), rows, workspace);
        workspace.EnsureCapacity(rows);
        _fast.Forward(batch, workspace.Input, workspace.Activation(_fast.DenseIndex + 1, rows));
        return CalibratedProbabilities(Network.ForwardFrom(_fast.DenseIndex + 1, rows, workspace, PassContext.Inference), rows, workspace);
    }

    // One token buffer and one id list per thread, taken while in use; one grown past these by a huge text is dropped.
    private const int MaxRetainedTokenChars = 1 << 16, MaxRetainedIds = 1 << 14;
    [ThreadStatic] private static TokenSpans? t_spans;
    [ThreadStatic] private static List<int>? t_ids;

    private static List<int> RentIds()
    {
        var ids = t_ids ?? [];
        t_ids = null;
        ids.Clear();
        return ids;
    }

    private static void ReturnIds(List<int> ids)
    {
        if (ids.Capacity <= MaxRetainedIds) t_ids = ids;
    }

    private static TokenSpans RentSpans()
    {
        var spans = t_spans ?? new TokenSpans();
        t_spans = null;
        return spans;
    }

    private static void ReturnSpans(TokenSpans spans)
    {
        if (spans.Capacity <= MaxRetainedTokenChars) t_spans = spans;
    }

    /// <summary>
    /// Each token's contribution to the predicted label: p(label | text) − p(label | text without the
    /// token). Exact and cheap for a DAN: the bag's vector is a mean, so the vector without token i is
    /// (Σ − the rows of the ids covering i) / (count − their number). Every id covers one token (a
    /// word) or two (a bigram starting at i−1 or at i), so each row costs O(dim): O(n·dim) for the
    /// text, then the n rows go through the layers in passes of <see cref="ExplainRowsPerPass"/>.
    /// </summary>
    /// <param name="cancellationToken">Checked between passes.</param>
    public (ClassificationResult Result, TokenContribution[] Contributions) Explain(string text, CancellationToken cancellationToken = default)
    {
        var result = Classify([text], cancellationToken)[0];
        var tokens = result.Tokens;
        int n = tokens.Count;
        var contributions = new TokenContribution[n];
        if (n == 0) return (result, contributions);
        if (n == 1)
        {
            // Without its only token the text is empty: compare with the network's output for no words.
            var empty = Classify("").Probabilities[result.LabelIndex];
            contributions[0] = new(tokens[0], result.Probabilities[result.LabelIndex] - empty);
            return (result, contributions);
        }

        var embedding = (EmbeddingBag)Network.Input;
        int dim = embedding.OutputSize, classes = Labels.Count;
        var ids = new List<int>();
        var firstToken = new List<int>();
        var spans = RentSpans();
        Tokenizer.Tokenize(text, spans);
        EncodeIds(Vocabulary, spans, Bag, ids, firstToken, Typos);
        ReturnSpans(spans);
        // ids: the n words (id k covers token k), then the bigrams; bigramAt[i]: the index in ids of the bigram starting at token i, or −1.
        var bigramAt = new int[n];
        Array.Fill(bigramAt, -1);
        for (int k = n; k < ids.Count; k++) bigramAt[firstToken[k]] = k;
        // represented[k, :]: what id k adds to the bag's sum, a row or a scope map applied to a row
        // (O(dim) per id, O(dim²) per word inside a scope); sum: the bag's sum.
        var represented = new float[ids.Count * dim];
        var sum = new float[dim];
        for (int k = 0; k < ids.Count; k++)
        {
            embedding.AddRepresentation(ids[k], represented.AsSpan(k * dim, dim));
            TensorPrimitives.Add(sum, represented.AsSpan(k * dim, dim), sum);
        }

        float p = result.Probabilities[result.LabelIndex];
        var workspace = _workspaces.Rent();
        try
        {
            for (int first = 0; first < n; first += ExplainRowsPerPass)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(ExplainRowsPerPass, n - first);
                workspace.EnsureCapacity(rows);
                var input = workspace.Activation(0, rows); // [rows, dim]: the bag's mean without token first + r
                for (int r = 0; r < rows; r++)
                {
                    int i = first + r;
                    var row = input.Slice(r * dim, dim);
                    TensorPrimitives.Subtract(sum, represented.AsSpan(i * dim, dim), row);
                    int removed = 1;
                    foreach (int k in (ReadOnlySpan<int>)[bigramAt[i], i > 0 ? bigramAt[i - 1] : -1])
                    {
                        if (k < 0) continue;
                        TensorPrimitives.Subtract(row, represented.AsSpan(k * dim, dim), row);
                        removed++;
                    }
                    int remaining = ids.Count - removed;
                    if (remaining > 0) TensorPrimitives.Multiply(row, 1f / remaining, row);
                    else row.Clear();
                }
                var probabilities = CalibratedProbabilities(Network.ForwardLayers(rows, workspace, PassContext.Inference), rows, workspace);
                for (int r = 0; r < rows; r++)
                    contributions[first + r] = new(tokens[first + r], p - probabilities[r * classes + result.LabelIndex]);
            }
        }
        finally
        {
            _workspaces.Return(workspace);
        }
        return (result, contributions);
    }

    // softmax(logits / T) [rows, classes] in the workspace; the logits (a workspace view) are scaled in place.
    private Span<float> CalibratedProbabilities(Span<float> logits, int rows, Workspace workspace)
    {
        if (Temperature != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(logits, 1f / Temperature, logits);
        var probabilities = workspace.Probabilities(rows);
        Softmax.Rows(logits, rows, Labels.Count, probabilities);
        return probabilities;
    }

    /// <summary>Writes the checkpoint: weights (embedding table in float16) and all metadata needed to serve it, the temperature included.</summary>
    public static void Save(string path, Classifier<TokenBatch> network, Vocabulary vocabulary, TokenizerSettings tokenizer,
        IReadOnlyList<string> labels, string name, JsonObject training, JsonObject metrics, BagFeatures? bag = null, float temperature = 1f)
    {
        if (!(temperature > 0) || float.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "A temperature is a positive number.");
        var metadata = ModelMetadata.Common(Kind, name, network.Parameters, labels, training, metrics);
        metadata["temperature"] = temperature;
        metadata["tokenizer"] = System.Text.Json.JsonSerializer.SerializeToNode(tokenizer, CheckpointJson.Options);
        metadata["bag"] = System.Text.Json.JsonSerializer.SerializeToNode(bag ?? new BagFeatures(), CheckpointJson.Options);
        metadata["vocabulary"] = ModelMetadata.VocabularyJson(vocabulary);
        ClassifierCheckpoint.Save(path, network, metadata,
            p => p.Name.EndsWith(".table", StringComparison.Ordinal) ? TensorStorage.Float16 : TensorStorage.Float32);
    }

    public static TextClassifier Load(string path) => FromCheckpoint(Checkpoint.Read(path));

    /// <summary>The model a checkpoint holds, ready to serve (its first layer precomputed, <see cref="PrecomputedBytes"/>).</summary>
    public static TextClassifier FromCheckpoint(Checkpoint checkpoint)
    {
        string kind = ModelMetadata.RequireKind(checkpoint, Kind);
        var network = ClassifierCheckpoint.LoadTokenClassifier(checkpoint);
        var vocabulary = ModelMetadata.ReadVocabulary(checkpoint);
        var table = ((EmbeddingBag)network.Input).Table;
        if (table.Rows != vocabulary.Count)
            throw new CheckpointException(checkpoint.Path, "metadata.vocabulary", $"{table.Rows} words (embedding rows)", $"{vocabulary.Count} words");
        var labels = checkpoint.Require<string[]>("labels");
        var tokenizer = new WordTokenizer(checkpoint.Require<TokenizerSettings>("tokenizer"), vocabulary);
        var info = ModelMetadata.Info(checkpoint, kind, labels, vocabulary.Count);
        var bag = checkpoint.Metadata["bag"] is null ? new BagFeatures() : checkpoint.Require<BagFeatures>("bag");
        float temperature = checkpoint.Metadata["temperature"] is null ? 1f : checkpoint.Require<float>("temperature");
        if (!(temperature > 0) || float.IsInfinity(temperature))
            throw new CheckpointException(checkpoint.Path, "metadata.temperature", "a positive number", temperature.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new TextClassifier(network, tokenizer, labels, info, bag, temperature, precomputeFirstLayer: true);
    }
}
