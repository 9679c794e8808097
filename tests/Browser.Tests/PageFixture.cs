using Microsoft.Playwright;

namespace ServeNet.Browser.Tests;

/// <summary>One browser and the API serving the shipped models, shared by the page tests.</summary>
public sealed class PageFixture : IAsyncLifetime
{
    public LocalBrowser Browser { get; } = new();
    public ServedApi Api { get; } = new(ServedApi.ShippedModels());

    /// <summary>Where screenshots go: $SERVENET_SCREENSHOTS, else TestResults/screenshots at the repository root (a CI artifact).</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("SERVENET_SCREENSHOTS") is { Length: > 0 } named
            ? Path.GetFullPath(named)
            : Path.Combine(Path.GetDirectoryName(ServedApi.ShippedModels())!, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        if (Browser.Missing is null) await Api.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Api.DisposeAsync();
    }

    /// <summary>A fresh page (own context) at the API's root, at the given viewport width.</summary>
    public async Task<IPage> OpenAsync(Uri address, int width = 1280, int height = 900)
    {
        Skip.If(Browser.Missing is not null, Browser.Missing);
        var context = await Browser.Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        await page.GotoAsync(address.ToString());
        page.SetDefaultTimeout(30_000);
        PageErrors[page] = errors;
        return page;
    }

    /// <summary>Script errors and console errors (e.g. a Content-Security-Policy violation) seen by each page.</summary>
    public Dictionary<IPage, List<string>> PageErrors { get; } = [];
}
