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
    public string ConllDirectory { get; }
    public string Embeddings { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
