using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServeNet.Browser.Tests;

/// <summary>
/// The try-it page at "/" in headless Chromium against the API on loopback with the shipped models:
/// what a user types, clicks and sees. Skipped (with the reason) only where no Chromium exists.
/// </summary>
public sealed class PageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private async Task<IPage> AnalyseAsync(string text, int width = 1280)
    {
        var page = await fixture.OpenAsync(fixture.Api.Address, width);
        await page.FillAsync("#text", text);
        await page.ClickAsync("#analyse");
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "done");
        return page;
    }

    private void AssertNoScriptErrors(IPage page) => Assert.Empty(fixture.PageErrors[page]);

    [SkippableFact]
    public async Task PositiveReview_ShowsPositiveLabelProbabilityAndColouredTokens()
    {
        var page = await AnalyseAsync("A gorgeous, moving film with a wonderful cast.");
        Assert.Equal("Done.", await page.TextContentAsync("#status"));
        Assert.Equal("positive", await page.TextContentAsync("#sentiment-label"));
        Assert.Matches(@"^\d+\.\d% confident$", await page.TextContentAsync("#sentiment-score"));
        var tokens = await page.QuerySelectorAllAsync("#sentiment-tokens .token");
        Assert.Equal(10, tokens.Count); // A gorgeous , moving film with a wonderful cast .
        Assert.All(await Task.WhenAll(tokens.Select(t => t.GetAttributeAsync("style"))), style => Assert.Contains("background-color", style));
        Assert.Contains("towards positive", await tokens[1].GetAttributeAsync("title"));
        Assert.Equal("A gorgeous, moving film with a wonderful cast.", await page.TextContentAsync("#sentiment-tokens"));
        AssertNoScriptErrors(page);
    }

    [SkippableFact]
    public async Task NegativeReview_ShowsNegativeLabelAndTokensPushingNegative()
    {
        var page = await AnalyseAsync("A dull, tedious mess. The plot is awful and the acting is terrible.");
        Assert.Equal("negative", await page.TextContentAsync("#sentiment-label"));
        var contributions = await page.EvalOnSelectorAllAsync<double[]>("#sentiment-tokens .token", "nodes => nodes.map(n => Number(n.dataset.contribution))");
        Assert.True(contributions.Min() < 0, string.Join(", ", contributions));
        Assert.Equal(contributions.Length, await page.Locator("#sentiment-table tbody tr").CountAsync());
        AssertNoScriptErrors(page);
    }

    [SkippableFact]
    public async Task NewsSentenceAfterAnEmoji_HighlightsExactlyTheEntitiesTheApiReturns()
    {
        const string text = "🤗 Angela Merkel met Emmanuel Macron in Paris.";
        var page = await AnalyseAsync(text);
        var highlighted = await page.EvalOnSelectorAllAsync<string[]>("#entities-text mark", "marks => marks.map(m => m.firstChild.textContent)");
        var types = await page.EvalOnSelectorAllAsync<string[]>("#entities-text mark", "marks => marks.map(m => m.dataset.type)");

        using var client = new HttpClient { BaseAddress = fixture.Api.Address };
        var answer = await (await client.PostAsJsonAsync("/ner", new { text })).Content.ReadFromJsonAsync<JsonElement>();
        var entities = answer.GetProperty("results")[0].GetProperty("entities").EnumerateArray().ToArray();
        Assert.Equal(entities.Select(e => e.GetProperty("text").GetString()), highlighted);
        Assert.Equal(entities.Select(e => e.GetProperty("type").GetString()), types);
        Assert.Contains("Angela Merkel", highlighted);
        Assert.Contains("Paris", highlighted);
        // Apart from the type tags, the highlighted text reads exactly as typed (offsets in UTF-16, as JavaScript counts).
        Assert.Equal(text, await page.EvalOnSelectorAsync<string>("#entities-text",
            "node => { const copy = node.cloneNode(true); copy.querySelectorAll('.ent-type').forEach(t => t.remove()); return copy.textContent; }"));
        Assert.Contains("score", await page.GetAttributeAsync("#entities-text mark", "title"));
        AssertNoScriptErrors(page);
    }

    [SkippableFact]
    public async Task MarkupInTheText_IsShownAsTextAndNeverRuns()
    {
        const string text = "<script>window.hacked = 1</script> <img src=x onerror=\"window.hacked = 1\"> Paris is great.";
        var page = await AnalyseAsync(text);
        Assert.Null(await page.EvaluateAsync<int?>("window.hacked"));
        Assert.Equal(0, await page.Locator("#sentiment-tokens img, #entities-text img, #entities-text script").CountAsync());
        Assert.Equal(text, await page.TextContentAsync("#sentiment-tokens"));
    }

    [SkippableFact]
    public async Task ModelsNotLoaded_ShowsTheProblemDetailsAndNoResults()
    {
        string empty = Directory.CreateTempSubdirectory("servenet-no-models-").FullName;
        try
        {
            await using var api = new ServedApi(empty);
            var address = await api.StartAsync();
            var page = await fixture.OpenAsync(address);
            await page.FillAsync("#text", "Angela Merkel visited Paris.");
            await page.ClickAsync("#analyse");
            await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-kind", "error");
            string status = (await page.TextContentAsync("#status"))!;
            Assert.Contains("Sentiment: model not loaded yet", status);
            Assert.Contains("Entities: model not loaded yet", status);
            Assert.Contains("sentiment.ckpt", status); // the problem's detail names the missing file
            Assert.True(await page.IsHiddenAsync("#sentiment"));
            Assert.True(await page.IsHiddenAsync("#entities"));
            Assert.Contains("sentiment:", await page.TextContentAsync("#models"));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [SkippableFact]
    public async Task KeyboardAlone_ReachesTheTextBoxAndCtrlEnterAnalyses()
    {
        var page = await fixture.OpenAsync(fixture.Api.Address);
        for (int i = 0; i < 10 && await page.EvaluateAsync<string>("document.activeElement.id") != "text"; i++) await page.Keyboard.PressAsync("Tab");
        Assert.Equal("text", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("Google opened an office in Zürich.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForSelectorAsync("#entities:not([hidden])");

        // An example button is a real button: Enter on it fills the text box and analyses.
        await page.FocusAsync("button.example >> nth=0");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#text")).ToHaveValueAsync(new Regex("^A gorgeous"));
        await Expect(page.Locator("#sentiment-label")).ToHaveTextAsync("positive");
        AssertNoScriptErrors(page);
    }

    [SkippableTheory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task PhoneAndDesktopWidths_FitWithoutHorizontalScrolling(int width)
    {
        var page = await fixture.OpenAsync(fixture.Api.Address, width, width < 500 ? 780 : 900);
        await page.ClickAsync("button.example >> nth=4"); // the business news: an emoji and accented names
        await page.WaitForSelectorAsync("#entities:not([hidden])");
        await page.WaitForSelectorAsync("#sentiment:not([hidden])");
        await Expect(page.Locator("#models")).ToHaveTextAsync(new Regex("^Models —"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"horizontal overflow at {width}px: scrollWidth {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")}");
        Directory.CreateDirectory(PageFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PageFixture.ScreenshotDirectory, $"demo-{width}.png"), FullPage = true });
        AssertNoScriptErrors(page);
    }
}
