using Microsoft.Playwright;

namespace Provisioning.Dashboard.Tests;

/// <summary>
/// One host and one headless Chromium for the browser tests. The sandbox makes a grant effective only after
/// <see cref="GrantPropagationDelay"/>, and the run's retries are 4 s apart. The attempt's own time counts toward that
/// backoff, and at least half of it (2 s) is always waited: no shorter than the page's polling (every 2 seconds), so a
/// page always sees a propagation wait, and can cancel it, on a loaded CI machine. (Each retry restarts the group, whose
/// operation waits are phase Deploying; with a 2 s cycle the page's 2 s polls could land in Deploying every time.)
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public static readonly TimeSpan GrantPropagationDelay = TimeSpan.FromSeconds(10);

    private IPlaywright? _playwright;

    internal LoopbackHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = ChromiumLocator.Find();
        Host = await LoopbackHost.StartAsync(
        [
            "--Provisioning:Sandbox:GrantPropagationDelay", GrantPropagationDelay.ToString(),
            "--Provisioning:Timings:ReadinessFirstInterval", "00:00:04",
            "--Provisioning:Timings:ReadinessMaxInterval", "00:00:04",
            "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
        ]);
        // A run's phases move on their own; the page shows each within a poll (2 s), but a loaded machine is slower.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh page (its own session storage, so no key) that accepts the dashboard's confirmations.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>Saves a screenshot for the README (docs/screenshots) when <c>PROVISIONING_SCREENSHOTS=1</c>, so test runs leave the clone as it was.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PROVISIONING_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(LoopbackHost.Repository, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
