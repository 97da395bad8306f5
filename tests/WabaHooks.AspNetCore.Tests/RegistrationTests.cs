using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public void MapWabaHooks_without_AddWabaHooks_says_to_call_it()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapWabaHooks());

        Assert.Contains("AddWabaHooks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_listing_every_missing_setting()
    {
        using var dir = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddWabaHooks(o => o.MaxBodyBytes = 10).UseSqlite(dir.Path);
        await using var app = builder.Build();
        app.MapWabaHooks();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains("VerifyToken", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("app secret", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxBodyBytes", StringComparison.Ordinal));
    }
}
