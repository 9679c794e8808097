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
    public const string TransitionsTensor = SentenceCrfLoss.TransitionsName;
    public const string StartTensor = SentenceCrfLoss.StartName;

    /// <summary>Rows per embedding table whose first-layer projection is cached at load (0: no fast path).</summary>
    public const int DefaultPrecomputedRows = 8192;

    /// <summary>
    /// Most tokens (rows) per forward pass, whole documents only: a text's sentence context and mention pools
    /// span it, so one longer text is a pass of its own (its workspace is then dropped on return, over the
    /// pool's retained size). Bounds the workspace whatever the batch, and is where cancellation is checked.
    /// </summary>
    public const int MaxRowsPerPass = 1024;

    private readonly WorkspacePool _workspaces;
    private readonly PrecomputedFirstLayer? _fast;
    private readonly EntityTagger[] _members; // an ensemble's taggers, or just this one

    /// <param name="info">The checkpoint's identity; omitted for a model still in training.</param>
    public EntityTagger(Classifier<TaggerBatch> network, WordTokenizer tokenizer, TaggerFeatures features, BioLabels labels,
        float[]? transitions, float[]? start, ModelInfo? info = null, int precomputedRows = DefaultPrecomputedRows)
    {
        if (network.Classes != labels.Count) throw new ArgumentException($"{labels.Count} labels for {network.Classes} outputs.");
        Network = network;
        Tokenizer = tokenizer;
        Features = features;
        Decoder = new TagDecoder(labels, transitions, start);
        Info = info ?? ModelInfo.Unsaved(Kind, labels.Labels, features.Words.Count);
        _fast = PrecomputedFirstLayer.TryCreate(network, features, precomputedRows);
        _workspaces = new WorkspacePool(() => network.CreateWorkspace(64));
        _members = [this];
    }

    /// <summary>
    /// An ensemble of taggers trained on the same features (other seeds): the mean of their label scores, decoded with
    /// the mean of their transition scores (a product of experts in log space). Costs one network pass per member.
    /// </summary>
    public EntityTagger(IReadOnlyList<EntityTagger> members, ModelInfo? info = null)
    {
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one tagger.", nameof(members));
        var first = members[0];
        if (members.Any(m => m.Members.Count != 1))
            throw new ArgumentException("The members of an ensemble are single taggers.", nameof(members));
        if (members.Any(m => m.Features.Slots != first.Features.Slots || m.Features.Words.Count != first.Features.Words.Count
                             || !m.Labels.Labels.SequenceEqual(first.Labels.Labels)))
            throw new ArgumentException("The members of an ensemble must share their features and labels.", nameof(members));
        Network = first.Network;
        Tokenizer = first.Tokenizer;
        Features = first.Features;
        Decoder = TagDecoder.Average(members.Select(m => m.Decoder).ToArray());
        Info = info ?? first.Info;
        _workspaces = first._workspaces; // the members take turns in one workspace (see Scores); no fast path of its own
        _members = [.. members];
    }

    /// <summary>The first (or only) member's network.</summary>
    public Classifier<TaggerBatch> Network { get; }
    /// <summary>The taggers whose scores are averaged: this one alone unless it is an ensemble.</summary>
    public IReadOnlyList<EntityTagger> Members => _members;
    public WordTokenizer Tokenizer { get; }
    public TaggerFeatures Features { get; }
    public TagDecoder Decoder { get; }
    public BioLabels Labels => Decoder.Labels;
    /// <summary>Learned transition scores [L, L] and start scores [L] (sentence-level likelihood; an ensemble's mean), or null.</summary>
    public float[]? Transitions => Decoder.Transitions;
    public float[]? Start => Decoder.Start;
    public ModelInfo Info { get; }
    public bool UsesCrf => Decoder.UsesCrf;

    /// <summary>Memory held by the cached first-layer projections, every member's (0 without the fast path).</summary>
    public long PrecomputedBytes => _members.Sum(m => m._fast?.Bytes ?? 0);

    // Scratch slot of an ensemble's summed scores (beyond the ones the input layer and the fast path use).
    private const int EnsembleScores = 32;

    /// <summary>Label scores [rows, L] of a batch (an ensemble's mean), through the cached projections when available.</summary>
    public Span<float> Scores(in TaggerBatch batch, Workspace workspace)
    {
        if (_members.Length == 1) return MemberScores(batch, workspace);
        // The members share the architecture, so they take turns in one workspace; their scores are summed aside.
        int length = batch.Rows * Labels.Count;
        var sum = workspace.Input.Floats(EnsembleScores, length);
        _members[0].MemberScores(batch, workspace).CopyTo(sum);
        for (int m = 1; m < _members.Length; m++)
            System.Numerics.Tensors.TensorPrimitives.Add(sum, _members[m].MemberScores(batch, workspace), sum);
        System.Numerics.Tensors.TensorPrimitives.Multiply(sum, 1f / _members.Length, sum);
        return sum;
    }

    private Span<float> MemberScores(in TaggerBatch batch, Workspace workspace)
    {
        if (_fast is null) return Network.Forward(batch, workspace, PassContext.Inference);
        workspace.EnsureCapacity(batch.Rows);
        _fast.Forward(batch, workspace.Input, workspace.Activation(_fast.DenseIndex + 1, batch.Rows));
        return Network.ForwardFrom(_fast.DenseIndex + 1, batch.Rows, workspace, PassContext.Inference);
    }

    /// <summary>Best valid label path of scores [n, L]; fills <paramref name="probabilities"/> [n, L].</summary>
    public int[] Decode(ReadOnlySpan<float> scores, int n, Span<float> probabilities) => Decoder.Decode(scores, n, probabilities);

    public TaggingResult Tag(string text) => Tag([text])[0];

    /// <summary>
    /// Tags a batch of texts, in passes of whole texts up to <see cref="MaxRowsPerPass"/> tokens. Each text is one
    /// document (the other mentions of a name are looked for within it) tagged as one sequence.
    /// </summary>
    /// <param name="cancellationToken">Checked after each text is tokenized and between passes.</param>
    /// <remarks>A batch of <see cref="BatchSplit.MinTextsPerPart"/> texts per core or more is split across the cores (<see cref="BatchSplit"/>).</remarks>
    public TaggingResult[] Tag(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        BatchSplit.AcrossCores(texts, TagOnThisThread, cancellationToken);

    private TaggingResult[] TagOnThisThread(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tokens = new List<TextToken>[texts.Count];
        var encoding = RentEncoding();
        for (int i = 0; i < texts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            tokens[i] = Tokenizer.Tokenize(texts[i]);
            encoding.AddDocument([tokens[i].Select(t => t.Value).ToArray()]);
        }
        var emissions = Score(encoding, cancellationToken);
        ReturnEncoding(encoding);

        var results = new TaggingResult[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            int n = tokens[i].Count;
            var probabilities = new float[n * Labels.Count];
            int[] path = Decode(emissions[i], n, probabilities);
            results[i] = BuildResult(texts[i], tokens[i], path, probabilities);
        }
        return results;
    }

    /// <summary>
    /// Label scores [n, L] (log-space emissions) of every already tokenized sentence (e.g. a corpus): the features
    /// and network of <see cref="Tag(IReadOnlyList{string}, CancellationToken)"/>. Consecutive sentences with the same
    /// <paramref name="documents"/> index form a document (each sentence its own when null).
    /// </summary>
    public float[][] Emissions(IReadOnlyList<IReadOnlyList<string>> sentences, IReadOnlyList<int>? documents = null)
    {
        var encoding = new TaggerEncoding(Features);
        int s = 0;
        while (s < sentences.Count)
        {
            int first = s++;
            while (documents is not null && s < sentences.Count && documents[s] == documents[first]) s++;
            encoding.AddDocument(sentences.Skip(first).Take(s - first).ToArray());
        }
        return Score(encoding, CancellationToken.None);
    }

    // Scores [n, L] per sentence of the encoding: whole documents go through the network together, up to
    // MaxRowsPerPass tokens per pass (a longer document alone), through one workspace.
    private float[][] Score(TaggerEncoding encoding, CancellationToken cancellationToken)
    {
        var emissions = new float[encoding.Sentences][];
        var buffer = t_buffer is { } reused && reused.Slots == Features.Slots ? reused : new TaggerBatchBuffer(Features.Slots);
        t_buffer = null;
        var workspace = _workspaces.Rent();
        try
        {
            int d = 0;
            while (d < encoding.Documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffer.Clear();
                int firstSentence = encoding.DocumentStarts[d];
                while (d < encoding.Documents && (buffer.Rows == 0 || buffer.Rows + encoding.DocumentRows(d) <= MaxRowsPerPass))
                {
                    for (int k = encoding.DocumentStarts[d]; k < encoding.DocumentStarts[d + 1]; k++) encoding.CopySentence(k, buffer);
                    d++;
                }
                var scores = Scores(buffer.Batch(), workspace);
                for (int k = 0; k < buffer.Sentences; k++)
                    emissions[firstSentence + k] = scores.Slice(buffer.SentenceStarts[k] * Labels.Count,
                        (buffer.SentenceStarts[k + 1] - buffer.SentenceStarts[k]) * Labels.Count).ToArray();
            }
        }
        finally
        {
            _workspaces.Return(workspace);
        }
        if (buffer.RetainedInts <= MaxRetainedInts) t_buffer = buffer;
        return emissions;
    }

    // One encoding and one batch buffer per thread, taken while in use: a batch of 64 sentences grows them to ~100 KB,
    // which allocated anew per call cost page faults, zeroing and copies as they doubled (~12% of a batch's time in
    // perf). One grown past MaxRetainedInts by a huge text is dropped rather than kept for the thread's life.
    private const int MaxRetainedInts = 1 << 20;
    [ThreadStatic] private static TaggerEncoding? t_encoding;
    [ThreadStatic] private static TaggerBatchBuffer? t_buffer;

    private TaggerEncoding RentEncoding()
    {
        var encoding = t_encoding is { } reused && ReferenceEquals(reused.Features, Features) ? reused : new TaggerEncoding(Features);
        t_encoding = null;
        encoding.Clear();
        return encoding;
    }

    private static void ReturnEncoding(TaggerEncoding encoding)
    {
        if (encoding.RetainedInts <= MaxRetainedInts) t_encoding = encoding;
    }

    /// <summary>Tags one already tokenized sentence: its label path and scores [n, L] (see <see cref="Emissions"/>).</summary>
    public (int[] Path, float[] Scores) TagTokens(IReadOnlyList<string> tokens)
    {
        var scores = Emissions([tokens])[0];
        return (Decode(scores, tokens.Count, new float[scores.Length]), scores);
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

    public static void Save(string path, Classifier<TaggerBatch> network, TaggerFeatures features, BioLabels labels,
        float[]? transitions, float[]? start, string name, JsonObject training, JsonObject metrics) =>
        Save(path, [(network, transitions, start)], features, labels, name, training, metrics);

    /// <summary>Writes a tagger, or an ensemble: its members' weights side by side, member k's tensors named "member{k}/…".</summary>
    public static void Save(string path, EntityTagger tagger, string name, JsonObject training, JsonObject metrics) =>
        Save(path, tagger.Members.Select(m => (m.Network, m.Transitions, m.Start)).ToArray(), tagger.Features, tagger.Labels, name, training, metrics);

    private static void Save(string path, IReadOnlyList<(Classifier<TaggerBatch> Network, float[]? Transitions, float[]? Start)> members,
        TaggerFeatures features, BioLabels labels, string name, JsonObject training, JsonObject metrics)
    {
        var network = members[0].Network;
        var metadata = ModelMetadata.Common(Kind, name, members.SelectMany(m => m.Network.Parameters).ToArray(), labels.Labels, training, metrics);
        metadata["entityTypes"] = new JsonArray(labels.Types.Select(l => (JsonNode)l!).ToArray());
        metadata["tokenizer"] = JsonSerializer.SerializeToNode(TokenizerSettings.Ner, CheckpointJson.Options);
        metadata["features"] = JsonSerializer.SerializeToNode(features.Settings, CheckpointJson.Options);
        metadata["decoding"] = new JsonObject { ["crf"] = members[0].Transitions is not null, ["constrained"] = true };
        if (members.Count > 1) metadata[EnsembleKey] = new JsonObject { ["members"] = members.Count };
        metadata["vocabulary"] = ModelMetadata.VocabularyJson(features.Words);
        if (features.Suffixes is not null) metadata["suffixes"] = ModelMetadata.VocabularyJson(features.Suffixes);
        if (features.Prefixes is not null) metadata["prefixes"] = ModelMetadata.VocabularyJson(features.Prefixes);
        if (features.CasedWords is not null) metadata["casedWords"] = ModelMetadata.VocabularyJson(features.CasedWords);
        if (features.Chars is not null) metadata["chars"] = ModelMetadata.VocabularyJson(features.Chars);
        if (features.WordClusters is not null) metadata["wordClusters"] = JsonSerializer.SerializeToNode(features.WordClusters, CheckpointJson.Options);
        if (features.Gazetteer is not null) metadata["gazetteer"] = JsonSerializer.SerializeToNode(features.Gazetteer.Lists, CheckpointJson.Options);
        static TensorStorage Storage(Parameter p) => p.Name.EndsWith(".words", StringComparison.Ordinal) ? TensorStorage.Float16 : TensorStorage.Float32;
        var extra = new List<Tensor>();
        for (int k = 0; k < members.Count; k++)
        {
            string prefix = MemberPrefix(k);
            if (k > 0) extra.AddRange(ClassifierCheckpoint.Tensors(members[k].Network, Storage, prefix));
            if (members[k].Transitions is { } transitions && members[k].Start is { } start)
            {
                extra.Add(new Tensor(prefix + TransitionsTensor, [labels.Count, labels.Count], transitions));
                extra.Add(new Tensor(prefix + StartTensor, [1, labels.Count], start));
            }
        }
        ClassifierCheckpoint.Save(path, network, metadata, Storage, extra);
    }

    /// <summary>Metadata key of an ensemble: {"members": K}; absent for a single tagger.</summary>
    public const string EnsembleKey = "ensemble";

    private static string MemberPrefix(int k) => k == 0 ? "" : $"member{k}/";

    public static EntityTagger Load(string path) => FromCheckpoint(Checkpoint.Read(path));

    public static EntityTagger FromCheckpoint(Checkpoint checkpoint)
    {
        string kind = ModelMetadata.RequireKind(checkpoint, Kind);
        var labels = new BioLabels(checkpoint.Require<string[]>("entityTypes"));
        var stored = checkpoint.Require<string[]>("labels");
        if (!stored.SequenceEqual(labels.Labels))
            throw new CheckpointException(checkpoint.Path, "metadata.labels", string.Join(",", labels.Labels), string.Join(",", stored));
        var settings = checkpoint.Require<TaggerFeatureSettings>("features");
        if (settings.Version > TaggerFeatureSettings.CurrentVersion)
            throw new CheckpointException(checkpoint.Path, "metadata.features.version", $"≤ {TaggerFeatureSettings.CurrentVersion}",
                settings.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "The checkpoint needs tagger features this build does not have: update ServeNet.");
        var words = ModelMetadata.ReadVocabulary(checkpoint);
        Vocabulary? Optional(string key) => checkpoint.Metadata[key] is null ? null : ModelMetadata.ReadVocabulary(checkpoint, key);
        int[]? clusters = settings.Clusters > 0 ? checkpoint.Require<int[]>("wordClusters") : null;
        if (clusters is not null && (clusters.Length != words.Count || clusters.Any(c => c < 0 || c >= settings.Clusters + 2)))
            throw new CheckpointException(checkpoint.Path, "metadata.wordClusters", $"{words.Count} rows in 0..{settings.Clusters + 1}",
                $"{clusters.Length} rows in {clusters.DefaultIfEmpty().Min()}..{clusters.DefaultIfEmpty().Max()}");
        var gazetteer = settings.Gazetteer ? ReadGazetteer(checkpoint) : null;
        var features = new TaggerFeatures(settings, words, Optional("suffixes"), Optional("prefixes"), Optional("casedWords"), Optional("chars"), clusters, gazetteer);
        bool crf = checkpoint.Metadata["decoding"]?["crf"]?.GetValue<bool>() ?? false;
        var tokenizer = new WordTokenizer(checkpoint.Require<TokenizerSettings>("tokenizer"), words);
        var info = ModelMetadata.Info(checkpoint, kind, labels.Labels, words.Count);
        int count = checkpoint.Metadata[EnsembleKey]?["members"]?.GetValue<int>() ?? 1;
        if (count < 1) throw new CheckpointException(checkpoint.Path, $"metadata.{EnsembleKey}.members", "at least 1", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var members = new EntityTagger[count];
        for (int k = 0; k < count; k++)
        {
            string prefix = MemberPrefix(k);
            // Version 1 checkpoints hold a bare "concat-embedding" window input: it becomes a tagger input without extras.
            var network = ClassifierCheckpoint.Load(checkpoint, spec => TaggerInput.FromSpec(spec, features), prefix);
            var input = (TaggerInput)network.Input;
            if (!input.Window.SlotTables.SequenceEqual(features.SlotTables) || !input.Window.SlotGroups.SequenceEqual(features.SlotGroups))
                throw new CheckpointException(checkpoint.Path, $"metadata.{ClassifierCheckpoint.ArchitectureKey}.input",
                    "a window input matching metadata.features", "another input");
            float[]? transitions = crf ? checkpoint.Tensor(prefix + TransitionsTensor, labels.Count, labels.Count).Values : null;
            float[]? start = crf ? checkpoint.Tensor(prefix + StartTensor, 1, labels.Count).Values : null;
            members[k] = new EntityTagger(network, tokenizer, features, labels, transitions, start, info);
        }
        return count == 1 ? members[0] : new EntityTagger(members, info);
    }

    private static Gazetteer ReadGazetteer(Checkpoint checkpoint)
    {
        var lists = checkpoint.Require<Dictionary<string, string[]>>("gazetteer");
        if (lists.Count is 0 or > Gazetteer.MaxCategories)
            throw new CheckpointException(checkpoint.Path, "metadata.gazetteer", $"1 to {Gazetteer.MaxCategories} name lists", $"{lists.Count}");
        return new Gazetteer(lists);
    }
}
