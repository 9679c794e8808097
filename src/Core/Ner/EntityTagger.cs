using System.Text.Json;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Ner;

/// <summary>
/// The window tagger (Collobert et al. 2011) with its tokenizer, features and BIO decoder: raw text
/// in, tagged tokens and entities with character offsets out. Decoding never yields an invalid BIO
/// sequence: Viterbi over the label scores restricted to valid transitions, plus learned transition
/// scores when the model was trained with sentence-level likelihood. Thread-safe.
/// </summary>
public sealed class EntityTagger
{
    public const string Kind = "window-ner-tagger";
    public const string TransitionsTensor = "crf.transitions";
    public const string StartTensor = "crf.start";

    private readonly WorkspacePool _workspaces;
    private readonly bool[] _allowed;
    private readonly PrecomputedFirstLayer? _fast;
    private readonly double[]? _expTransitions, _expStart;

    /// <summary>Rows per embedding table whose first-layer projection is cached at load (0: no fast path).</summary>
    public const int DefaultPrecomputedRows = 4096;

    public EntityTagger(Classifier<TokenBatch> network, WordTokenizer tokenizer, TaggerFeatures features, BioLabels labels,
        float[]? transitions, float[]? start, ModelInfo info, int precomputedRows = DefaultPrecomputedRows)
    {
        if (network.Classes != labels.Count) throw new ArgumentException($"{labels.Count} labels for {network.Classes} outputs.");
        Network = network;
        Tokenizer = tokenizer;
        Features = features;
        Labels = labels;
        Transitions = transitions;
        Start = start;
        Info = info;
        _allowed = AllowedMask(labels);
        _fast = PrecomputedFirstLayer.TryCreate(network, precomputedRows);
        if (transitions is not null && start is not null)
            (_expTransitions, _expStart) = LinearChainCrf.Exponentiate(labels.Count, transitions, start, _allowed);
        _workspaces = new WorkspacePool(() => network.CreateWorkspace(64));
    }

    public Classifier<TokenBatch> Network { get; }
    public WordTokenizer Tokenizer { get; }
    public TaggerFeatures Features { get; }
    public BioLabels Labels { get; }
    /// <summary>Learned transition scores [L, L] and start scores [L] (sentence-level likelihood), or null.</summary>
    public float[]? Transitions { get; }
    public float[]? Start { get; }
    public ModelInfo Info { get; }
    public bool UsesCrf => Transitions is not null;

    /// <summary>Memory held by the cached first-layer projections (0 without the fast path).</summary>
    public long PrecomputedBytes => _fast?.Bytes ?? 0;

    /// <summary>Label scores [rows, L] of window rows, through the cached projections when available.</summary>
    public Span<float> Scores(int[] windows, int rows, Workspace workspace)
    {
        if (_fast is null)
        {
            var batch = TokenBatch.FixedWidth(windows, rows, Features.Slots, new int[rows + 1]);
            return Network.Forward(batch, workspace, PassContext.Inference);
        }
        workspace.EnsureCapacity(rows);
        _fast.Forward(windows, rows, workspace.Activation(_fast.DenseIndex + 1, rows));
        return Network.ForwardFrom(_fast.DenseIndex + 1, rows, workspace, PassContext.Inference);
    }

    /// <summary>allowed[(i + 1)·L + j]: label j may follow label i; row 0 is the sentence start.</summary>
    public static bool[] AllowedMask(BioLabels labels)
    {
        int n = labels.Count;
        var allowed = new bool[(n + 1) * n];
        for (int i = -1; i < n; i++)
            for (int j = 0; j < n; j++) allowed[(i + 1) * n + j] = labels.Allowed(i, j);
        return allowed;
    }

    public TaggingResult Tag(string text) => Tag([text])[0];

    /// <summary>Tags a batch of texts; every window of every text goes through the network in one pass.</summary>
    public TaggingResult[] Tag(IReadOnlyList<string> texts)
    {
        var tokens = new List<TextToken>[texts.Count];
        var starts = new int[texts.Count + 1];
        for (int i = 0; i < texts.Count; i++)
        {
            tokens[i] = Tokenizer.Tokenize(texts[i]);
            starts[i + 1] = starts[i] + tokens[i].Count;
        }
        int total = starts[^1];
        var windows = new int[total * Features.Slots];
        var features = new int[Math.Max(1, tokens.Length == 0 ? 0 : tokens.Max(t => t.Count)) * Features.PerToken];
        for (int i = 0; i < texts.Count; i++)
        {
            int n = tokens[i].Count;
            Features.TokenFeatures(tokens[i].Select(t => t.Value).ToArray(), features);
            Features.Windows(features, n, windows.AsSpan(starts[i] * Features.Slots, n * Features.Slots));
        }

        var results = new TaggingResult[texts.Count];
        var workspace = _workspaces.Rent();
        try
        {
            var logits = Scores(windows, total, workspace);
            var probabilities = workspace.Probabilities(total);
            for (int i = 0; i < texts.Count; i++)
            {
                int n = tokens[i].Count, first = starts[i];
                var scores = logits.Slice(first * Labels.Count, n * Labels.Count);
                var p = probabilities.Slice(first * Labels.Count, n * Labels.Count);
                int[] path = Decode(scores, n, p);
                results[i] = BuildResult(texts[i], tokens[i], path, p);
            }
        }
        finally
        {
            _workspaces.Return(workspace);
        }
        return results;
    }

    /// <summary>
    /// Tags an already tokenized sentence (e.g. a corpus line): the same features, network and decoding
    /// as <see cref="Tag(IReadOnlyList{string})"/> but on the given tokens. Returns the label path and
    /// per-token scores [n, L] (log-space emissions) for ensembling.
    /// </summary>
    public (int[] Path, float[] Scores) TagTokens(IReadOnlyList<string> tokens)
    {
        int n = tokens.Count;
        if (n == 0) return ([], []);
        var features = new int[n * Features.PerToken];
        var windows = new int[n * Features.Slots];
        Features.TokenFeatures(tokens, features);
        Features.Windows(features, n, windows);
        var workspace = _workspaces.Rent();
        try
        {
            var scores = Scores(windows, n, workspace).ToArray();
            return (Decode(scores, n, new float[n * Labels.Count]), scores);
        }
        finally
        {
            _workspaces.Return(workspace);
        }
    }

    /// <summary>Best valid label path; fills <paramref name="probabilities"/> [n, L] with per-token tag probabilities.</summary>
    public int[] Decode(ReadOnlySpan<float> scores, int n, Span<float> probabilities)
    {
        if (n == 0) return [];
        int labels = Labels.Count;
        if (UsesCrf)
        {
            LinearChainCrf.Marginals(scores, n, labels, _expTransitions, _expStart, probabilities);
            return BioDecoder.Viterbi(scores, n, Labels, Transitions, Start);
        }
        SoftmaxCrossEntropy.Softmax(scores, n, labels, probabilities);
        var logProbabilities = new float[n * labels];
        for (int k = 0; k < logProbabilities.Length; k++) logProbabilities[k] = MathF.Log(Math.Max(probabilities[k], 1e-30f));
        return BioDecoder.Viterbi(logProbabilities, n, Labels);
    }

    private TaggingResult BuildResult(string text, List<TextToken> tokens, int[] path, ReadOnlySpan<float> probabilities)
    {
        var tagged = new TaggedToken[tokens.Count];
        var tags = new string[tokens.Count];
        for (int t = 0; t < tokens.Count; t++)
        {
            tags[t] = Labels.Labels[path[t]];
            tagged[t] = new TaggedToken(tokens[t], tags[t], probabilities[t * Labels.Count + path[t]]);
        }
        var entities = new List<Entity>();
        foreach (var (type, first, end) in BioLabels.Spans(tags))
        {
            int start = tokens[first].Start, stop = tokens[end - 1].End;
            float score = 0;
            for (int t = first; t < end; t++) score += tagged[t].Probability;
            entities.Add(new Entity(type, start, stop, text[start..stop], score / (end - first), first, end - 1));
        }
        return new TaggingResult(tagged, entities);
    }

    public static void Save(string path, Classifier<TokenBatch> network, TaggerFeatures features, BioLabels labels,
        float[]? transitions, float[]? start, string name, JsonObject training, JsonObject metrics)
    {
        var metadata = ModelMetadata.Common(Kind, name, network.Parameters, labels.Labels, training, metrics);
        metadata["entityTypes"] = new JsonArray(labels.Types.Select(l => (JsonNode)l!).ToArray());
        metadata["tokenizer"] = JsonSerializer.SerializeToNode(TokenizerSettings.Ner, CheckpointJson.Options);
        metadata["features"] = JsonSerializer.SerializeToNode(features.Settings, CheckpointJson.Options);
        metadata["decoding"] = new JsonObject { ["crf"] = transitions is not null, ["constrained"] = true };
        metadata["vocabulary"] = new JsonArray(features.Words.Words.Select(w => (JsonNode)w!).ToArray());
        if (features.Suffixes is not null) metadata["suffixes"] = new JsonArray(features.Suffixes.Words.Select(w => (JsonNode)w!).ToArray());
        if (features.Prefixes is not null) metadata["prefixes"] = new JsonArray(features.Prefixes.Words.Select(w => (JsonNode)w!).ToArray());
        var extra = new List<Tensor>();
        if (transitions is not null && start is not null)
        {
            extra.Add(new Tensor(TransitionsTensor, [labels.Count, labels.Count], transitions));
            extra.Add(new Tensor(StartTensor, [1, labels.Count], start));
        }
        ClassifierCheckpoint.Save(path, network, metadata,
            p => p.Name.EndsWith(".words", StringComparison.Ordinal) ? TensorStorage.Float16 : TensorStorage.Float32, extra);
    }

    public static EntityTagger Load(string path) => FromCheckpoint(Checkpoint.Read(path));

    public static EntityTagger FromCheckpoint(Checkpoint checkpoint)
    {
        string kind = ModelMetadata.RequireKind(checkpoint, Kind);
        var network = ClassifierCheckpoint.LoadTokenClassifier(checkpoint);
        var labels = new BioLabels(checkpoint.Require<string[]>("entityTypes"));
        var stored = checkpoint.Require<string[]>("labels");
        if (!stored.SequenceEqual(labels.Labels))
            throw new CheckpointException(checkpoint.Path, "metadata.labels", string.Join(",", labels.Labels), string.Join(",", stored));
        var settings = checkpoint.Require<TaggerFeatureSettings>("features");
        var words = TextClassifier.LoadVocabulary(checkpoint);
        Vocabulary? Affixes(string key) => checkpoint.Metadata[key] is null ? null : Vocabulary.FromStored(checkpoint.Require<string[]>(key));
        var features = new TaggerFeatures(settings, words, Affixes("suffixes"), Affixes("prefixes"));
        if (network.Input is not ConcatEmbedding input || !input.SlotTables.SequenceEqual(features.SlotTables)
            || !input.SlotGroups.SequenceEqual(features.SlotGroups))
            throw new CheckpointException(checkpoint.Path, $"metadata.{ClassifierCheckpoint.ArchitectureKey}.input",
                "a concat-embedding input matching metadata.features", "another input");
        bool crf = checkpoint.Metadata["decoding"]?["crf"]?.GetValue<bool>() ?? false;
        float[]? transitions = crf ? checkpoint.Tensor(TransitionsTensor, labels.Count, labels.Count).Values : null;
        float[]? start = crf ? checkpoint.Tensor(StartTensor, 1, labels.Count).Values : null;
        var tokenizer = new WordTokenizer(checkpoint.Require<TokenizerSettings>("tokenizer"), words);
        var info = ModelMetadata.Info(checkpoint, kind, labels.Labels, words.Count);
        return new EntityTagger(network, tokenizer, features, labels, transitions, start, info);
    }
}
