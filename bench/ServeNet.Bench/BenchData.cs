namespace ServeNet.Bench;

/// <summary>
/// Realistic inputs for the benchmarks: SST dev sentences and CoNLL dev sentences as raw text when
/// ../shared/data is present, otherwise a fixed set of English sentences (and the run says so).
/// </summary>
internal static class BenchData
{
    public static string DataDirectory => Environment.GetEnvironmentVariable("SERVENET_DATA") ?? Path.Combine("..", "shared", "data");

    public static string ModelsDirectory => Environment.GetEnvironmentVariable("SERVENET_MODELS") ?? "models";

    public static (string Source, string[] Sentences) SentimentSentences()
    {
        string path = Path.Combine(DataDirectory, "sst", "cased", "dev.tsv");
        if (File.Exists(path))
            return (path, File.ReadLines(path).Select(l => l[(l.IndexOf('\t') + 1)..]).ToArray());
        return ("built-in sentences (no ../shared/data)", Fallback);
    }

    public static (string Source, string[] Sentences) NewsSentences()
    {
        string path = Path.Combine(DataDirectory, "conll2003", "dev.txt");
        if (!File.Exists(path)) return ("built-in sentences (no ../shared/data)", Fallback);
        var sentences = new List<string>();
        var words = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith("-DOCSTART-", StringComparison.Ordinal))
            {
                if (words.Count > 0) sentences.Add(string.Join(' ', words));
                words.Clear();
                continue;
            }
            words.Add(line[..line.IndexOf(' ')]);
        }
        if (words.Count > 0) sentences.Add(string.Join(' ', words));
        return (path, sentences.ToArray());
    }

    private static readonly string[] Fallback =
    [
        "Angela Merkel visited Paris on Monday to meet French officials.",
        "The film is a gorgeous, moving portrait of a family in crisis.",
        "It's dull, overlong and never once surprising.",
        "Shares of Microsoft rose 3% in New York after the earnings report.",
        "EU rejects German call to boycott British lamb.",
    ];
}
