namespace ServeNet.Behaviour.Tests;

/// <summary>The suite's own rules, checked with a stub model.</summary>
public sealed class BehaviouralSuiteTests
{
    private static BehaviouralCase Case(TestType type, string expectation, string text, string? perturbed = null) =>
        new("capability", type, expectation, text, perturbed, 1);

    // A stub: P(positive) read from the text itself ("0.80 …").
    private static float[] Stub(IReadOnlyList<string> texts) => texts.Select(t => float.Parse(t.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Theory]
    [InlineData(TestType.MFT, "positive", "0.70 x", null, true)]
    [InlineData(TestType.MFT, "negative", "0.70 x", null, false)]
    [InlineData(TestType.INV, "same", "0.70 x", "0.60 y", true)]
    [InlineData(TestType.INV, "same", "0.70 x", "0.40 y", false)]
    [InlineData(TestType.DIR, "more-positive", "0.70 x", "0.65 y", true)]
    [InlineData(TestType.DIR, "more-positive", "0.70 x", "0.55 y", false)]
    [InlineData(TestType.DIR, "more-negative", "0.30 x", "0.10 y", true)]
    [InlineData(TestType.DIR, "more-negative", "0.30 x", "0.45 y", false)]
    public void Run_EachTestType_AppliesItsRule(TestType type, string expectation, string text, string? perturbed, bool passes)
    {
        var result = BehaviouralSuite.Run([Case(type, expectation, text, perturbed)], Stub).Single();
        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public void Markdown_ListsPassRatePerCapabilityAndTheFailures()
    {
        var results = BehaviouralSuite.Run([Case(TestType.MFT, "positive", "0.90 good"), Case(TestType.MFT, "negative", "0.80 not good")], Stub);
        string report = BehaviouralSuite.Markdown(results);
        Assert.Contains("| capability (MFT) | 2 | 1 | 50.0% |", report);
        Assert.Contains("\"0.80 not good\" expected negative, P = 0.80", report);
    }

    [Fact]
    public void Read_MalformedLine_NamesFileAndLine()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nnegation\tMFT\tpositive\tfine\nnegation\tINV\tpositive\tonly one text\n");
            var error = Assert.Throws<FormatException>(() => BehaviouralCase.Read(path));
            Assert.StartsWith($"{path}:3:", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
