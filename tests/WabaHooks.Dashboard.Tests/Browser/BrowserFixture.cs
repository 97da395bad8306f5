using Microsoft.Playwright;
using WabaHooks.Testing;

[assembly: AssemblyFixture(typeof(WabaHooks.Dashboard.Tests.Browser.BrowserFixture))]

namespace WabaHooks.Dashboard.Tests.Browser;

/// <summary>
/// One headless Debian chromium for the whole test assembly, driven by Playwright; each test opens its own context
/// (cookies, storage) in it. Playwright's own browser download cannot run here and is never called: the fixture
/// launches <c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs. Missing, it skips each browser test locally and
/// fails it under CI.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    /// <summary>Debian's chromium package puts its launcher here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser, launched on first use; skips (or fails under CI) when chromium is not installed.</summary>
    public async Task<IBrowser> BrowserAsync()
    {
        TestEnvironment.Require(File.Exists(ChromiumPath), $"Debian's chromium is not installed at {ChromiumPath} (apt-get install chromium).");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_browser is null)
            {
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    // Chromium refuses to start its sandbox as root (CI runs as root); a normal user keeps it.
                    Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
                    Timeout = 30_000,
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh page in its own context (no cookies shared with other tests), at desktop width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 860)
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        // Bounded waits everywhere: a page that never shows what a test expects fails in seconds, not at the hang timeout.
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
