using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServeNet.Core.Ner;

namespace ServeNet.Bench;

/// <summary>
/// Do the peers answer like ServeNet? The first few hundred SST dev sentences (cased) go to every
/// /classify and the first few hundred CoNLL-2003 dev sentences to every /ner, in batches; printed:
/// label agreement with ServeNet, entity-set and tag agreement, and each server's accuracy / entity F1
/// against the gold labels of those sentences. The FastAPI peer serves the same weights with its own
/// tokenizer, so disagreements there are tokenization (docs/benchmarks.md explains them); the ML.NET
/// peer is another model, so its agreement only says how different it is.
/// </summary>
internal static partial class Agreement
{
    private const int Batch = 50;

    /// <param name="classify">(name, /classify url) of each server, ServeNet first.</param>
    /// <param name="ner">(name, /ner url) of each server, ServeNet first.</param>
    public static void Run(int sentences, IReadOnlyList<(string Name, string Url)> classify, IReadOnlyList<(string Name, string Url)> ner,
        Dictionary<string, double> results)
    {
        var sst = ReadSst(sentences);
        var corpusForm = sst.Select(s => s.Text).ToArray();
        var detokenized = sst.Select(s => Detokenize(s.Text)).ToArray();
        var gold = sst.Select(s => s.Positive ? "positive" : "negative").ToArray();
        Console.WriteLine($"# agreement: {sst.Count} SST dev sentences (detokenized: \"It's\", \"(\", \"film.\"; and as the corpus writes them: \"It 's\", \"-LRB-\", \"film .\")");
        var reference = Labels(classify[0], detokenized);
        var referenceCorpus = Labels(classify[0], corpusForm);
        foreach (var server in classify)
        {
            var labels = server == classify[0] ? reference : Labels(server, detokenized);
            double accuracy = Fraction(labels.Zip(gold, (a, b) => a == b));
            results[$"classify-dev-accuracy-{server.Name}"] = accuracy;
            if (server == classify[0])
            {
                Console.WriteLine(Line($"{server.Name}: accuracy {accuracy:F4} on these sentences"));
                continue;
            }
            double agreement = Fraction(labels.Zip(reference, (a, b) => a == b));
            double corpus = Fraction(Labels(server, corpusForm).Zip(referenceCorpus, (a, b) => a == b));
            results[$"classify-agreement-{server.Name}"] = agreement;
            results[$"classify-agreement-{server.Name}-corpus-tokens"] = corpus;
            Console.WriteLine(Line($"{server.Name}: accuracy {accuracy:F4}; same label as {classify[0].Name} on {agreement:P1} (detokenized), {corpus:P1} (corpus tokens)"));
        }

        var conll = ReadConll(sentences);
        var texts = conll.Select(s => s.Text).ToArray();
        Console.WriteLine($"# agreement: {conll.Count} CoNLL-2003 dev sentences (tokens joined by spaces)");
        var taggings = ner.Select(server => Tag(server, texts)).ToArray();
        for (int k = 0; k < ner.Count; k++)
        {
            double f1 = F1(taggings[k].Select(t => t.Entities).ToArray(), conll.Select(s => s.Entities).ToArray());
            results[$"ner-dev-f1-{ner[k].Name}"] = f1;
            if (k == 0)
            {
                Console.WriteLine(Line($"{ner[k].Name}: entity F1 {f1:F4} on these sentences"));
                continue;
            }
            int sameEntities = 0, sameTokens = 0, tokens = 0, sameTags = 0;
            for (int i = 0; i < texts.Length; i++)
            {
                var (a, b) = (taggings[0][i], taggings[k][i]);
                if (a.Entities.SetEquals(b.Entities)) sameEntities++;
                if (!a.Tokens.Select(t => (t.Start, t.End)).SequenceEqual(b.Tokens.Select(t => (t.Start, t.End)))) continue;
                sameTokens++;
                tokens += a.Tokens.Length;
                sameTags += a.Tokens.Zip(b.Tokens, (x, y) => x.Tag == y.Tag ? 1 : 0).Sum();
            }
            results[$"ner-entity-agreement-{ner[k].Name}"] = (double)sameEntities / texts.Length;
            results[$"ner-tag-agreement-{ner[k].Name}"] = tokens == 0 ? 0 : (double)sameTags / tokens;
            results[$"ner-same-tokens-{ner[k].Name}"] = (double)sameTokens / texts.Length;
            Console.WriteLine(Line($"{ner[k].Name}: entity F1 {f1:F4}; same entities as {ner[0].Name} in {(double)sameEntities / texts.Length:P1} of sentences; "
                + $"same tokens in {(double)sameTokens / texts.Length:P1}, and there the same tag on {(tokens == 0 ? 0 : (double)sameTags / tokens):P2} of tokens"));
        }
    }

    private static string Line(string s) => "  " + s; // InvariantGlobalization: numbers print the same everywhere

    private static double Fraction(IEnumerable<bool> values)
    {
        int all = 0, yes = 0;
        foreach (bool v in values)
        {
            all++;
            if (v) yes++;
        }
        return all == 0 ? 0 : (double)yes / all;
    }

    private static string[] Labels((string Name, string Url) server, IReadOnlyList<string> texts)
    {
        var labels = new List<string>();
        foreach (var chunk in texts.Chunk(Batch))
        {
            var body = ResponseShapes.Post(server.Name, server.Url, chunk);
            ResponseShapes.Check(server.Name, server.Url, body, chunk, ner: false);
            labels.AddRange(body["results"]!.AsArray().Select(r => r!["label"]!.GetValue<string>()));
        }
        return [.. labels];
    }

    private sealed record Tagging((int Start, int End, string Tag)[] Tokens, HashSet<(string Type, int Start, int End)> Entities);

    private static Tagging[] Tag((string Name, string Url) server, IReadOnlyList<string> texts)
    {
        var taggings = new List<Tagging>();
        foreach (var chunk in texts.Chunk(Batch))
        {
            var body = ResponseShapes.Post(server.Name, server.Url, chunk);
            ResponseShapes.Check(server.Name, server.Url, body, chunk, ner: true);
            foreach (var result in body["results"]!.AsArray())
            {
                var tokens = result!["tokens"]!.AsArray()
                    .Select(t => (t!["start"]!.GetValue<int>(), t["end"]!.GetValue<int>(), t["tag"]!.GetValue<string>())).ToArray();
                var entities = result["entities"]!.AsArray()
                    .Select(e => (e!["type"]!.GetValue<string>(), e["start"]!.GetValue<int>(), e["end"]!.GetValue<int>())).ToHashSet();
                taggings.Add(new Tagging(tokens, entities));
            }
        }
        return [.. taggings];
    }

    // Micro F1 over exact (type, start, end) character spans, as conlleval counts entities.
    private static double F1(IReadOnlyList<HashSet<(string, int, int)>> guessed, IReadOnlyList<HashSet<(string, int, int)>> gold)
    {
        int correct = 0, guesses = 0, golds = 0;
        for (int i = 0; i < gold.Count; i++)
        {
            correct += guessed[i].Count(gold[i].Contains);
            guesses += guessed[i].Count;
            golds += gold[i].Count;
        }
        double precision = guesses == 0 ? 0 : (double)correct / guesses, recall = golds == 0 ? 0 : (double)correct / golds;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static List<(bool Positive, string Text)> ReadSst(int count)
    {
        string path = Path.Combine(BenchData.DataDirectory, "sst", "cased", "dev.tsv");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: the agreement check needs SST dev (../shared/data).");
        return File.ReadLines(path).Where(l => l.Contains('\t')).Take(count)
            .Select(l => (l[0] == '1', l[(l.IndexOf('\t') + 1)..])).ToList();
    }

    /// <summary>CoNLL dev sentences as text (tokens joined by single spaces) with their gold entities as character spans.</summary>
    private static List<(string Text, HashSet<(string, int, int)> Entities)> ReadConll(int count)
    {
        string path = Path.Combine(BenchData.DataDirectory, "conll2003", "dev.txt");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: the agreement check needs CoNLL-2003 dev (../shared/data).");
        var sentences = new List<(string, HashSet<(string, int, int)>)>();
        var words = new List<string>();
        var tags = new List<string>();
        foreach (var line in File.ReadLines(path).Append(""))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0] != "-DOCSTART-")
            {
                words.Add(fields[0]);
                tags.Add(fields[^1]);
                continue;
            }
            if (words.Count == 0) continue;
            var starts = new int[words.Count];
            for (int i = 1; i < words.Count; i++) starts[i] = starts[i - 1] + words[i - 1].Length + 1;
            // IOB1 as the corpus writes it: BioLabels.Spans starts an entity at a B-X or at an I-X that does not continue one.
            var entities = BioLabels.Spans(tags).Select(s => (s.Type, starts[s.Start], starts[s.End - 1] + words[s.End - 1].Length)).ToHashSet();
            sentences.Add((string.Join(' ', words), entities));
            words.Clear();
            tags.Clear();
            if (sentences.Count == count) break;
        }
        return sentences;
    }

    /// <summary>PTB tokens back to running text: brackets and quotes restored, punctuation and clitics attached.</summary>
    public static string Detokenize(string tokens)
    {
        string s = Brackets().Replace(tokens, m => m.Value.Trim() switch
        {
            "-LRB-" => "(", "-RRB-" => ")", "-LSB-" => "[", "-RSB-" => "]", "-LCB-" => "{", _ => "}",
        });
        s = OpeningSpace().Replace(s, "$1");
        s = ClosingSpace().Replace(s, "$1");
        s = s.Replace("`` ", "\"").Replace(" ''", "\"").Replace("``", "\"").Replace("''", "\"");
        return s.Trim();
    }

    [GeneratedRegex(@"-(?:LRB|RRB|LSB|RSB|LCB|RCB)-")]
    private static partial Regex Brackets();

    // "( film" → "(film", "$ 5" → "$5"
    [GeneratedRegex(@"([(\[{$]) ")]
    private static partial Regex OpeningSpace();

    // "film ." → "film.", "It 's" → "It's", "does n't" → "doesn't", "film )" → "film)"
    [GeneratedRegex(@" (\.\.\.|[.,!?;:%)\]}]|n't|'s|'re|'ve|'m|'ll|'d)(?= |$)", RegexOptions.IgnoreCase)]
    private static partial Regex ClosingSpace();
}
