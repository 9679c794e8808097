using System.CommandLine;

namespace ServeNet.Training.Commands.TrainSentiment;

/// <summary>The options of "train sentiment": the common ones plus the bag features and embedding schedule.</summary>
internal sealed class TrainSentimentOptions() : TrainingOptions<SentimentTrainingSettings>(
    data: "Folder with SST train.tsv and dev.tsv",
    batch: "Sentences per mini-batch",
    inputDropout: "Dropout on the averaged sentence vector",
    wordDropout: "Probability of dropping each word from the average",
    metric: "accuracy")
{
    public Option<int> Ngrams { get; } = new("--ngrams") { Description = "1: average words; 2: words and frequent training bigrams", DefaultValueFactory = _ => Defaults.Ngrams };
    public Option<int> BigramMinCount { get; } = new("--bigram-min-count") { Description = "Training occurrences a bigram needs to get an embedding", DefaultValueFactory = _ => Defaults.BigramMinCount };
    public Option<bool> NegationScope { get; } = new("--negation-scope") { Description = "Words after a negation up to punctuation get their own \"not_\" embeddings", DefaultValueFactory = _ => Defaults.NegationScope };
    public Option<int> FreezeEpochs { get; } = new("--freeze-epochs") { Description = "Keep the embeddings frozen for this many first epochs", DefaultValueFactory = _ => Defaults.FreezeEpochs };
    public Option<float> EmbeddingAnchor { get; } = new("--embedding-anchor") { Description = "L2 pull of fine-tuned embeddings towards their GloVe values", DefaultValueFactory = _ => Defaults.EmbeddingAnchor };

    public Option<string?> Phrases { get; } = new("--phrases") { Description = "SST phrase labels to train on besides the sentences (none: sentences only)", DefaultValueFactory = _ => Defaults.Phrases };

    public Option<string?> Imdb { get; } = new("--imdb") { Description = "Folder with the IMDB reviews (labelled.tsv, unlabelled.txt); none: not used", DefaultValueFactory = _ => Defaults.Imdb };
    public Option<InDomainUse> InDomain { get; } = new("--in-domain") { Description = "Skip-gram vectors trained on IMDB + training sentences: none, replace (GloVe) or concat (beside GloVe)", DefaultValueFactory = _ => Defaults.InDomain };
    public Option<int> InDomainWords { get; } = new("--in-domain-words") { Description = "Most frequent in-domain words added to the vocabulary", DefaultValueFactory = _ => Defaults.InDomainWords };
    public Option<int> SkipGramEpochs { get; } = new("--skipgram-epochs") { Description = "Epochs of skip-gram training", DefaultValueFactory = _ => Defaults.SkipGramEpochs };
    public Option<int> SkipGramDimension { get; } = new("--skipgram-dim") { Description = "Dimension of the in-domain skip-gram vectors", DefaultValueFactory = _ => Defaults.SkipGramDimension };
    public Option<int> SkipGramThreads { get; } = new("--skipgram-threads") { Description = "Threads of skip-gram training (1: repeatable; more: faster, Hogwild)", DefaultValueFactory = _ => Defaults.SkipGramThreads };
    public Option<string> CacheDirectory { get; } = new("--cache") { Description = "Folder for trained word vectors, keyed by a hash of their inputs", DefaultValueFactory = _ => Defaults.CacheDirectory };

    public Option<int> PretrainEpochs { get; } = new("--pretrain-epochs") { Description = "Epochs of pre-training on the labelled IMDB reviews as documents (0: none)", DefaultValueFactory = _ => Defaults.PretrainEpochs };
    public Option<float> PretrainEmbeddingRateScale { get; } = new("--pretrain-embedding-lr-scale") { Description = "Embedding learning-rate multiplier while pre-training", DefaultValueFactory = _ => Defaults.PretrainEmbeddingRateScale };
    public Option<int> WeakPerEpoch { get; } = new("--weak-per-epoch") { Description = "IMDB review sentences (labelled by their review) drawn each epoch besides the SST examples", DefaultValueFactory = _ => Defaults.WeakPerEpoch };

    public Option<int> ScopeOperators { get; } = new("--scope-operators") { Description = "Learned linear maps instead of \"not_\" words: 1 negated words, 2 also words before a contrast (\"X, but Y\"), 0 none", DefaultValueFactory = _ => Defaults.ScopeOperators };

    public Option<bool> TypoFallback { get; } = new("--typo-fallback") { Description = "Unknown words take the most frequent vocabulary word one edit away", DefaultValueFactory = _ => Defaults.TypoFallback };

    protected override IEnumerable<Option> Specific => [ScopeOperators, TypoFallback, PretrainEpochs, PretrainEmbeddingRateScale, WeakPerEpoch, Ngrams, BigramMinCount, NegationScope, FreezeEpochs, EmbeddingAnchor, Phrases,
        Imdb, InDomain, InDomainWords, SkipGramEpochs, SkipGramDimension, SkipGramThreads, CacheDirectory];

    protected override SentimentTrainingSettings ReadSpecific(ParseResult result, SentimentTrainingSettings common) => common with
    {
        Ngrams = result.GetValue(Ngrams),
        BigramMinCount = result.GetValue(BigramMinCount),
        NegationScope = result.GetValue(NegationScope),
        FreezeEpochs = result.GetValue(FreezeEpochs),
        EmbeddingAnchor = result.GetValue(EmbeddingAnchor),
        Phrases = CommandLineParsing.OptionalPath(result.GetValue(Phrases)),
        Imdb = CommandLineParsing.OptionalPath(result.GetValue(Imdb)),
        InDomain = result.GetValue(InDomain),
        InDomainWords = result.GetValue(InDomainWords),
        SkipGramEpochs = result.GetValue(SkipGramEpochs),
        SkipGramThreads = result.GetValue(SkipGramThreads),
        SkipGramDimension = result.GetValue(SkipGramDimension),
        CacheDirectory = result.GetValue(CacheDirectory)!,
        PretrainEpochs = result.GetValue(PretrainEpochs),
        PretrainEmbeddingRateScale = result.GetValue(PretrainEmbeddingRateScale),
        WeakPerEpoch = result.GetValue(WeakPerEpoch),
        ScopeOperators = result.GetValue(ScopeOperators),
        TypoFallback = result.GetValue(TypoFallback),
    };
}
