using Microsoft.Playwright;

namespace ServeNet.Browser.Tests;

/// <summary>
/// Headless Chromium from the machine (Debian's chromium package; SERVENET_CHROMIUM names another),
/// driven by Playwright: nothing is downloaded at run time. Flags as for a closed network: no
/// background connections, no sandbox (CI runs as root).
/// </summary>
public sealed class LocalBrowser : IAsyncLifetime
{
    public const string Variable = "SERVENET_CHROMIUM";
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public string? Missing { get; private set; }

    public static string? FindExecutable()
    {
        string? named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named)) return File.Exists(named) ? named : null;
        return Candidates.FirstOrDefault(File.Exists);
    }

    public async Task InitializeAsync()
    {
        string? executable = FindExecutable();
        if (executable is null)
        {
            Missing = $"No Chromium found ({string.Join(", ", Candidates)} or ${Variable}): install Debian's `chromium` package "
                + "(.ci/run does) to run the browser tests.";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}
