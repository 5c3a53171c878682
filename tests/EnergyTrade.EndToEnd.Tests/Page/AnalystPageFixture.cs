using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Microsoft.Playwright;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests.Page;

/// <summary>
/// A system of its own with the seed's five cargoes in it (so the page's figures are exactly the article's),
/// the web page in front of it as scripts/up.sh runs it, and Debian's chromium driven by Playwright.
/// Against a running stack (ENERGYTRADE_E2E_WEB_URL) the cargoes go into a far year no other test draws,
/// so the same figures are exact there too.
/// </summary>
public sealed class AnalystPageFixture : IAsyncLifetime
{
    public const string WebUrlVariable = "ENERGYTRADE_E2E_WEB_URL";
    public const string ChromiumVariable = "ENERGYTRADE_TEST_CHROMIUM";

    private ServiceProcess? _web;
    private IPlaywright? _playwright;

    public SystemFixture System { get; } = new();
    public Uri PageUrl { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    /// <summary>The year of the seed's cargoes: 2020 on a fresh system.</summary>
    public int SeedYear { get; private set; }

    /// <summary>Where the screenshots go: kept with the test run's output.</summary>
    public static string ScreenshotFolder => Path.Combine(ServiceProcess.RepositoryRoot(), ".run", "screenshots");

    public async Task InitializeAsync()
    {
        await System.InitializeAsync();
        PageUrl = Environment.GetEnvironmentVariable(WebUrlVariable) is { Length: > 0 } url ? new Uri(url) : await StartPageAsync();
        SeedYear = System.FreshSystem ? 2020 : 2000 + Random.Shared.Next(7100, 7900);
        await RecordSeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium(), Headless = true });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser context at desktop or phone width; what it shows is the test's to screenshot.</summary>
    public async Task<IPage> OpenAsync(string hash, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PageUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/" + hash);
        await Ready(page);
        return page;
    }

    /// <summary>The view has rendered what it fetched.</summary>
    public static Task Ready(IPage page) => Assertions.Expect(page.Locator("main")).ToHaveAttributeAsync("data-state", "ready");

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public string SeedHash(string view = "pair", string country = "AZ", string partner = "BY") => view == "pair"
        ? $"#pair?country={country}&partner={partner}&from={SeedYear}-01&to={SeedYear}-04"
        : $"#partners?country={country}&from={SeedYear}-01&to={SeedYear}-04";

    private async Task<Uri> StartPageAsync()
    {
        var provider = System.Provider ?? throw new InvalidOperationException(
            $"Against a running stack the page is not started here: set {WebUrlVariable} to its address.");
        _web = ServiceProcess.Start("Web", new Dictionary<string, string>
        {
            ["Web__ShipmentsUrl"] = System.ShipmentsUrl.ToString(),
            ["Web__TradeUrl"] = System.TradeUrl.ToString(),
            ["Web__Authority"] = provider.BaseUrl.ToString(),
            ["Web__ClientId"] = IdentityProviderUnderTest.Reader,
            ["Web__ClientSecret"] = IdentityProviderUnderTest.Secret(IdentityProviderUnderTest.Reader),
        });
        await _web.WaitReadyAsync();
        return _web.HttpUrl;
    }

    private async Task RecordSeedAsync()
    {
        var range = new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = Month(SeedYear, 1), LastMonth = Month(SeedYear, 4) };
        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            cargo.LoadDate.Year = SeedYear;
            if (cargo.DeliveryDate is { } delivered) delivered.Year = SeedYear;
            await System.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = Guid.NewGuid().ToString() }, Deadline());
        }
        await Eventually.MatchAsync(() => System.Trade.GetBilateralTotalsAsync(range, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 5, TimeSpan.FromSeconds(30), "Trade to count the five seed cargoes");
    }

    /// <summary>Debian's chromium (scripts/test.sh installs it), or the one ENERGYTRADE_TEST_CHROMIUM names.</summary>
    private static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } named ? named : "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"No chromium at {path}: run the tests with scripts/test.sh (it installs Debian's chromium), or apt-get install chromium, or set {ChromiumVariable}.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_web is not null) await _web.DisposeAsync();
        await System.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AnalystPageCollection : ICollectionFixture<AnalystPageFixture>
{
    public const string Name = "analysts' page";
}
