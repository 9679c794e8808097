using System.Globalization;

namespace ServeNet.Training.Tests.Commands;

/// <summary>
/// A tiny SST-style and CoNLL-style corpus with matching tiny GloVe vectors, written to a temp
/// folder, so the trainer runs end to end in a second without ../shared/data.
/// </summary>
public sealed class TinyCorpus : IDisposable
{
    public TinyCorpus()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("servenet-tiny-").FullName;
        SstDirectory = Path.Combine(Directory, "sst");
        ConllDirectory = Path.Combine(Directory, "conll");
        System.IO.Directory.CreateDirectory(SstDirectory);
        System.IO.Directory.CreateDirectory(ConllDirectory);

        string[] good = ["a wonderful , moving film .", "great acting and a gorgeous story .", "it 's a delight .", "funny , warm and wise ."];
        string[] bad = ["a dull , tedious mess .", "it 's boring and bad .", "the plot is awful .", "a lifeless , stupid film ."];
        var train = Enumerable.Range(0, 12).SelectMany(i => good.Select(s => $"1\t{s}").Concat(bad.Select(s => $"0\t{s}")));
        File.WriteAllLines(Path.Combine(SstDirectory, "train.tsv"), train);
        File.WriteAllLines(Path.Combine(SstDirectory, "dev.tsv"), ["1\ta wonderful story .", "0\ta boring , awful film .", "1\tgreat and funny .", "0\tdull and stupid ."]);
        // Phrase labels in the phrase file's own convention (brackets and slashes unescaped).
        PhrasesFile = Path.Combine(SstDirectory, "phrases.tsv");
        File.WriteAllLines(PhrasesFile, good.Select(s => $"1\t{s}").Concat(bad.Select(s => $"0\t{s}"))
            .Concat(["1\twonderful", "1\tgorgeous story", "0\ttedious mess", "0\tis n't good", "1\tnot bad ( at all )", "0\tboring/awful"]));
        ImdbDirectory = Path.Combine(Directory, "imdb");
        System.IO.Directory.CreateDirectory(ImdbDirectory);
        File.WriteAllLines(Path.Combine(ImdbDirectory, "labelled.tsv"), Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            $"1\ttrain\t{7 + i % 4}\tA wonderful, moving film. Great acting!<br /><br />A gorgeous story and a delight number {i}.",
            $"0\ttest\t{1 + i % 4}\tA dull, tedious mess.The plot is awful.<br />Boring and bad, take {i}.",
        }));
        File.WriteAllLines(Path.Combine(ImdbDirectory, "unlabelled.txt"), Enumerable.Range(0, 10).Select(i => $"The film was wonderful and the story was dull, part {i}."));

        string conll = """
            -DOCSTART- -X- -X- O

            Angela NNP I-NP I-PER
            Merkel NNP I-NP I-PER
            visited VBD I-VP O
            Paris NNP I-NP I-LOC
            . . O O

            EU NNP I-NP I-ORG
            rejects VBZ I-VP O
            German JJ I-NP I-MISC
            lamb NN I-NP O
            . . O O

            """;
        File.WriteAllText(Path.Combine(ConllDirectory, "train.txt"), string.Concat(Enumerable.Repeat(conll, 10)));
        File.WriteAllText(Path.Combine(ConllDirectory, "dev.txt"), conll);

        var words = good.Concat(bad).SelectMany(s => s.Split(' ')).Concat(["angela", "merkel", "visited", "paris", "eu", "rejects", "german", "lamb", "story"]).Distinct().ToArray();
        var random = new Random(1);
        Embeddings = Path.Combine(Directory, "glove.txt");
        File.WriteAllLines(Embeddings, words.Select(w =>
            w + " " + string.Join(' ', Enumerable.Range(0, 8).Select(_ => (random.NextDouble() - 0.5).ToString("F4", CultureInfo.InvariantCulture)))));
    }

    public string Directory { get; }
    public string SstDirectory { get; }
    public string PhrasesFile { get; }
    /// <summary>A tiny IMDB folder: labelled.tsv (20 reviews) and unlabelled.txt (10).</summary>
    public string ImdbDirectory { get; }
    public string ConllDirectory { get; }
    public string Embeddings { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
