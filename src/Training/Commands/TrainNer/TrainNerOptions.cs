using System.CommandLine;

namespace ServeNet.Training.Commands.TrainNer;

/// <summary>The options of "train ner": the common ones plus window, features and decoding.</summary>
internal sealed class TrainNerOptions() : TrainingOptions<NerTrainingSettings>(
    data: "Folder with CoNLL-2003 train.txt and dev.txt",
    batch: "Sentences per mini-batch",
    inputDropout: "Dropout on the window embeddings",
    wordDropout: "Probability of replacing a training word by <unk>",
    metric: "F1")
{
    public Option<int> Window { get; } = new("--window") { Description = "Words on each side of the tagged word", DefaultValueFactory = _ => Defaults.Window };
    public Option<int> ShapeDimension { get; } = new("--shape-dim") { Description = "Casing/shape embedding width", DefaultValueFactory = _ => Defaults.ShapeDimension };
    public Option<int> AffixDimension { get; } = new("--affix-dim") { Description = "Suffix and prefix embedding width (0: no affix features)", DefaultValueFactory = _ => Defaults.AffixDimension };
    public Option<int> AffixLength { get; } = new("--affix-length") { Description = "Characters in the suffix/prefix features", DefaultValueFactory = _ => Defaults.AffixLength };
    public Option<int> CharNgrams { get; } = new("--char-ngrams") { Description = "Character trigrams per token, averaged into one embedding (0: off)", DefaultValueFactory = _ => Defaults.CharNgrams };
    public Option<int> CharBuckets { get; } = new("--char-buckets") { Description = "Hash buckets of the character trigrams", DefaultValueFactory = _ => Defaults.CharBuckets };
    public Option<int> CharDimension { get; } = new("--char-dim") { Description = "Character trigram embedding width", DefaultValueFactory = _ => Defaults.CharDimension };
    public Option<int> CasedDimension { get; } = new("--cased-dim") { Description = "Cased-word embedding width (0: off)", DefaultValueFactory = _ => Defaults.CasedDimension };
    public Option<float> ContextAlpha { get; } = new("--context-alpha") { Description = "FOFE forgetting factor of the sentence-wide left/right context (0: off)", DefaultValueFactory = _ => Defaults.ContextAlpha };
    public Option<int> CharFilters { get; } = new("--char-filters") { Description = "Filters of the character convolution (0: off)", DefaultValueFactory = _ => Defaults.CharFilters };
    public Option<int> CharWidth { get; } = new("--char-width") { Description = "Characters per convolution window (odd)", DefaultValueFactory = _ => Defaults.CharWidth };
    public Option<int> CharEmbedding { get; } = new("--char-embedding") { Description = "Character embedding width of the convolution", DefaultValueFactory = _ => Defaults.CharEmbedding };
    public Option<bool> Mentions { get; } = new("--mentions") { Description = "Pool the windows of the other mentions of a capitalised word in the document", DefaultValueFactory = _ => Defaults.Mentions };
    public Option<int> DocumentsPerBatch { get; } = new("--documents-per-batch") { Description = "Whole documents per mini-batch when mentions are pooled", DefaultValueFactory = _ => Defaults.DocumentsPerBatch };
    public Option<bool> Crf { get; } = new("--crf") { Description = "Sentence-level likelihood with learned BIO transitions (false: per-token softmax)", DefaultValueFactory = _ => Defaults.Crf };
    public Option<bool> Refit { get; } = new("--refit") { Description = "After selecting the epoch count on the held-out documents, retrain on all training documents (same seed) for that many epochs and ship that", DefaultValueFactory = _ => Defaults.Refit };
    public Option<int> Clusters { get; } = new("--clusters") { Description = "Word clusters (k-means over GloVe) as one more feature per window position (0: off)", DefaultValueFactory = _ => Defaults.Clusters };
    public Option<int> ClusterDimension { get; } = new("--cluster-dim") { Description = "Word-cluster embedding width", DefaultValueFactory = _ => Defaults.ClusterDimension };
    public Option<int> ClusterWords { get; } = new("--cluster-words") { Description = "Most frequent GloVe words the clusters are fitted on (0: all)", DefaultValueFactory = _ => Defaults.ClusterWords };
    public Option<int> Ensemble { get; } = new("--ensemble") { Description = "Taggers trained with seeds seed, seed+1, … and served as one ensemble: their scores averaged (1: one tagger)", DefaultValueFactory = _ => Defaults.Ensemble };
    public Option<int> GazetteerDimension { get; } = new("--gazetteer-dim") { Description = "Gazetteer embedding width: which listed names (places, countries, given names, nationalities) cover each token (0: off)", DefaultValueFactory = _ => Defaults.GazetteerDimension };
    public Option<string> GazetteerFolder { get; } = new("--gazetteer") { Description = "Folder of the gazetteer's name lists (scripts/fetch-gazetteers.sh)", DefaultValueFactory = _ => Defaults.GazetteerFolder };
    public Option<float> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing of the per-token softmax", DefaultValueFactory = _ => Defaults.LabelSmoothing };

    protected override IEnumerable<Option> Specific => [Window, ShapeDimension, AffixDimension, AffixLength, CharNgrams, CharBuckets, CharDimension, CasedDimension, ContextAlpha,
        CharFilters, CharWidth, CharEmbedding, Mentions, DocumentsPerBatch, Crf, LabelSmoothing, Refit, Clusters, ClusterDimension, ClusterWords, GazetteerDimension, GazetteerFolder, Ensemble];

    protected override NerTrainingSettings ReadSpecific(ParseResult result, NerTrainingSettings common) => common with
    {
        Window = result.GetValue(Window),
        ShapeDimension = result.GetValue(ShapeDimension),
        AffixDimension = result.GetValue(AffixDimension),
        AffixLength = result.GetValue(AffixLength),
        CharNgrams = result.GetValue(CharNgrams),
        CharBuckets = result.GetValue(CharBuckets),
        CharDimension = result.GetValue(CharDimension),
        CasedDimension = result.GetValue(CasedDimension),
        ContextAlpha = result.GetValue(ContextAlpha),
        CharFilters = result.GetValue(CharFilters),
        CharWidth = result.GetValue(CharWidth),
        CharEmbedding = result.GetValue(CharEmbedding),
        Mentions = result.GetValue(Mentions),
        DocumentsPerBatch = result.GetValue(DocumentsPerBatch),
        Crf = result.GetValue(Crf),
        LabelSmoothing = result.GetValue(LabelSmoothing),
        Refit = result.GetValue(Refit),
        Clusters = result.GetValue(Clusters),
        ClusterDimension = result.GetValue(ClusterDimension),
        ClusterWords = result.GetValue(ClusterWords),
        GazetteerDimension = result.GetValue(GazetteerDimension),
        GazetteerFolder = result.GetValue(GazetteerFolder)!,
        Ensemble = result.GetValue(Ensemble),
    };
}
