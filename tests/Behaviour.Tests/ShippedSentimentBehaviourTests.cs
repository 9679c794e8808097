using ServeNet.Core.Sentiment;
using Xunit.Abstractions;

namespace ServeNet.Behaviour.Tests;

/// <summary>
/// The CheckList-style suite on the shipped models/sentiment.ckpt (or the checkpoint named by
/// SERVENET_SENTIMENT_MODEL): reports the pass rate per capability and fails the build below 90% overall.
/// </summary>
public sealed class ShippedSentimentBehaviourTests(ITestOutputHelper output)
{
    public const double OverallFloor = 0.90;
    public const string ModelVariable = "SERVENET_SENTIMENT_MODEL";

    private static readonly Lazy<TextClassifier> Model = new(() => TextClassifier.Load(ModelPath()));

    private static List<BehaviouralCase> Cases() => BehaviouralCase.Read(Path.Combine(AppContext.BaseDirectory, "sentiment-cases.tsv"));

    private static float[] PositiveProbability(IReadOnlyList<string> texts)
    {
        var model = Model.Value;
        int positive = model.Labels.ToList().IndexOf("positive");
        return model.Classify(texts).Select(r => r.Probabilities[positive]).ToArray();
    }

    [Fact]
    public void ShippedSentimentModel_BehaviouralSuite_PassesTheOverallFloor()
    {
        var results = BehaviouralSuite.Run(Cases(), PositiveProbability);
        string report = BehaviouralSuite.Markdown(results);
        output.WriteLine($"{Model.Value.Info.Version} ({ModelPath()})");
        output.WriteLine(report);
        string file = Path.Combine(AppContext.BaseDirectory, "behaviour-sentiment.md");
        File.WriteAllText(file, report);
        output.WriteLine($"written to {file}");
        double overall = BehaviouralSuite.PassRate(results);
        Assert.True(overall >= OverallFloor, $"behavioural pass rate {overall:P1} is below the {OverallFloor:P0} floor:\n{report}");
    }

    [Fact]
    public void ShippedSentimentModel_NotAGoodFilm_IsNegative()
    {
        var result = Model.Value.Classify("Not a good film.");
        Assert.True(result.Label == "negative", $"\"Not a good film.\" came out {result.Label} ({string.Join(", ", result.Probabilities)})");
    }

    [Fact]
    public void CasesFile_HasAtLeast100CasesOverEveryCapability()
    {
        var cases = Cases();
        Assert.True(cases.Count >= 100, $"{cases.Count} cases");
        Assert.Equal(["vocabulary", "negation", "contrast", "intensifiers", "names", "typos", "casing-punctuation"],
            cases.Select(c => c.Capability).Distinct());
    }

    private static string ModelPath()
    {
        if (Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } forced) return forced;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ServeNet.sln"))) return Path.Combine(folder.FullName, "models", "sentiment.ckpt");
        throw new FileNotFoundException($"No ServeNet.sln above {AppContext.BaseDirectory}: cannot find models/sentiment.ckpt (or set {ModelVariable}).");
    }
}
