using Microsoft.Playwright;
using WabaHooks.Testing;

namespace WabaHooks.Dashboard.Tests.Browser;

/// <summary>
/// Screenshots of the pages at the size people read them, written into <c>docs/screenshots/</c> by the tests that
/// open them, so the README shows the pages as they are now.
/// </summary>
internal static class Screenshots
{
    public static string Folder => RepositoryRoot.Combine("docs", "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = false });
    }
}
