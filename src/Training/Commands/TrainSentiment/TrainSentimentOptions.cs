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

    public Option<string?> Phrases { get; } = new("--phrases") { Description = "SST phrase labels to train on besides the sentences (e.g. ../shared/data/sst/phrases.tsv)", DefaultValueFactory = _ => Defaults.Phrases };

    protected override IEnumerable<Option> Specific => [Ngrams, BigramMinCount, NegationScope, FreezeEpochs, EmbeddingAnchor, Phrases];

    protected override SentimentTrainingSettings ReadSpecific(ParseResult result, SentimentTrainingSettings common) => common with
    {
        Ngrams = result.GetValue(Ngrams),
        BigramMinCount = result.GetValue(BigramMinCount),
        NegationScope = result.GetValue(NegationScope),
        FreezeEpochs = result.GetValue(FreezeEpochs),
        EmbeddingAnchor = result.GetValue(EmbeddingAnchor),
        Phrases = result.GetValue(Phrases),
    };
}
