using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServeNet.Bench;

/// <summary>
/// Checks that a server answers /classify and /ner with ServeNet's response shapes (docs/api.md), for
/// one text and for a batch, before and after it is loaded: a peer that answers errors or another
/// shape fails the benchmark with the path, the expected and the actual value, and no ratio is printed.
/// </summary>
internal static class ResponseShapes
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>POSTs {"texts": [...]} (or {"text": ...} for one text when <paramref name="single"/>) and returns the parsed 200 body.</summary>
    public static JsonObject Post(string who, string url, IReadOnlyList<string> texts, bool single = false)
    {
        var request = single ? new JsonObject { ["text"] = texts[0] } : new JsonObject { ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode?)t)]) };
        using var response = Client.PostAsync(url, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")).Result;
        string body = response.Content.ReadAsStringAsync().Result;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{who}: POST {url} answered {(int)response.StatusCode}: {Shorten(body)}");
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw Wrong(who, url, "body", "a JSON object", Shorten(body));
        }
        catch (JsonException e)
        {
            throw Wrong(who, url, "body", "JSON", $"{e.Message}: {Shorten(body)}");
        }
    }

    /// <summary>One text alone, then all of them as a batch, each answer checked.</summary>
    public static void Probe(string who, string url, IReadOnlyList<string> texts, bool ner)
    {
        Check(who, url, Post(who, url, texts, single: true), texts.Take(1).ToArray(), ner);
        Check(who, url, Post(who, url, texts), texts, ner);
    }

    public static void Check(string who, string url, JsonObject body, IReadOnlyList<string> texts, bool ner)
    {
        Text(who, url, body, "model");
        Text(who, url, body, "version");
        var results = body["results"] as JsonArray ?? throw Wrong(who, url, "results", "an array", Describe(body["results"]));
        if (results.Count != texts.Count) throw Wrong(who, url, "results", $"{texts.Count} results (one per text)", $"{results.Count}");
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i] as JsonObject ?? throw Wrong(who, url, $"results[{i}]", "an object", Describe(results[i]));
            if (ner) CheckTagging(who, url, $"results[{i}]", result, texts[i]);
            else CheckClassification(who, url, $"results[{i}]", result);
        }
    }

    // {"label", "score", "probabilities": {label: p}}: p sum to 1, label is the most probable, score is its p.
    private static void CheckClassification(string who, string url, string path, JsonObject result)
    {
        string label = Text(who, url, result, "label", path);
        double score = Probability(who, url, result, "score", path);
        var probabilities = result["probabilities"] as JsonObject ?? throw Wrong(who, url, $"{path}.probabilities", "an object", Describe(result["probabilities"]));
        if (probabilities.Count < 2) throw Wrong(who, url, $"{path}.probabilities", "at least two labels", $"{probabilities.Count}");
        double sum = 0, best = double.MinValue;
        foreach (var (name, _) in probabilities)
        {
            double p = Probability(who, url, probabilities, name, $"{path}.probabilities");
            sum += p;
            best = Math.Max(best, p);
        }
        if (Math.Abs(sum - 1) > 1e-3) throw Wrong(who, url, $"{path}.probabilities", "values summing to 1", sum.ToString("G6", CultureInfo.InvariantCulture));
        if (!probabilities.ContainsKey(label)) throw Wrong(who, url, $"{path}.label", "one of the probabilities' labels", label);
        double own = probabilities[label]!.GetValue<double>();
        if (Math.Abs(own - score) > 1e-4 || own < best - 1e-6)
            throw Wrong(who, url, $"{path}.score", $"the label's probability, the largest ({best:G6})", score.ToString("G6", CultureInfo.InvariantCulture));
    }

    // {"tokens": [{"text","start","end","tag","probability"}], "entities": [{"text","type","start","end","score"}]}:
    // offsets give the text back, tokens in order, tags BIO.
    private static void CheckTagging(string who, string url, string path, JsonObject result, string text)
    {
        var tokens = result["tokens"] as JsonArray ?? throw Wrong(who, url, $"{path}.tokens", "an array", Describe(result["tokens"]));
        if (tokens.Count == 0) throw Wrong(who, url, $"{path}.tokens", "at least one token for a non-blank text", "none");
        int previousEnd = 0;
        for (int t = 0; t < tokens.Count; t++)
        {
            string at = $"{path}.tokens[{t}]";
            var token = tokens[t] as JsonObject ?? throw Wrong(who, url, at, "an object", Describe(tokens[t]));
            var (start, end) = Span(who, url, token, at, text);
            if (start < previousEnd) throw Wrong(who, url, $"{at}.start", $"at least {previousEnd} (tokens in order, not overlapping)", $"{start}");
            previousEnd = end;
            string tag = Text(who, url, token, "tag", at);
            if (tag != "O" && !(tag.Length > 2 && tag[1] == '-' && tag[0] is 'B' or 'I'))
                throw Wrong(who, url, $"{at}.tag", "O, B-X or I-X", tag);
            Probability(who, url, token, "probability", at);
        }
        var entities = result["entities"] as JsonArray ?? throw Wrong(who, url, $"{path}.entities", "an array", Describe(result["entities"]));
        for (int e = 0; e < entities.Count; e++)
        {
            string at = $"{path}.entities[{e}]";
            var entity = entities[e] as JsonObject ?? throw Wrong(who, url, at, "an object", Describe(entities[e]));
            Span(who, url, entity, at, text);
            Text(who, url, entity, "type", at);
            Probability(who, url, entity, "score", at);
        }
    }

    // start/end integers inside the text, with "text" equal to text[start..end].
    private static (int Start, int End) Span(string who, string url, JsonObject node, string path, string text)
    {
        int start = Integer(who, url, node, "start", path), end = Integer(who, url, node, "end", path);
        if (start < 0 || end <= start || end > text.Length)
            throw Wrong(who, url, $"{path}.start/end", $"0 <= start < end <= {text.Length}", $"{start}, {end}");
        string value = Text(who, url, node, "text", path);
        if (value != text[start..end]) throw Wrong(who, url, $"{path}.text", $"\"{text[start..end]}\" (the text at start..end)", $"\"{value}\"");
        return (start, end);
    }

    private static string Text(string who, string url, JsonObject node, string name, string path = "") =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } s
            ? s : throw Wrong(who, url, Join(path, name), "a non-empty string", Describe(node[name]));

    private static int Integer(string who, string url, JsonObject node, string name, string path) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int i)
            ? i : throw Wrong(who, url, Join(path, name), "an integer", Describe(node[name]));

    private static double Probability(string who, string url, JsonObject node, string name, string path)
    {
        double p = node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : double.NaN;
        return p is >= 0 and <= 1.000001 ? p : throw Wrong(who, url, Join(path, name), "a probability in [0, 1]", Describe(node[name]));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(JsonNode? node) => node is null ? "nothing" : Shorten(node.ToJsonString());

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private static InvalidOperationException Wrong(string who, string url, string path, string expected, string actual) =>
        new($"{who}: POST {url}: {path}: expected {expected}, found {actual}. The peer does not answer with ServeNet's shapes, so no ratio is printed.");
}
