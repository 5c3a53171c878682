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

    private readonly int _webPort = ServiceProcess.FreePort();
    private ServiceProcess? _web;
    private IPlaywright? _playwright;
    private string? _signedIn;

    public AnalystPageFixture() => System = new SystemFixture(new Dictionary<string, string>
    {
        // The page's sign-ins return to it, on the port it is about to get.
        [$"Identity__Clients__{IdentityProviderUnderTest.Web}__RedirectUris"] = $"http://127.0.0.1:{_webPort}/signin-oidc",
    });

    public SystemFixture System { get; }
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
        SeedYear = System.FreshSystem ? 2020 : await UnusedYearAsync();
        await RecordSeedAsync();

        // Assertions wait as long as actions: a first sign-in on a busy 2-core machine redeems a code, reads keys and
        // makes the page's first calls before anything shows.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium(), Headless = true });
        Directory.CreateDirectory(ScreenshotFolder);
        _signedIn = await SignInOnceAsync();
    }

    /// <summary>A browser context with nobody signed in.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900, string? storageState = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PageUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
            StorageState = storageState,
        });

    /// <summary>Signs in on the provider's page, where the page sends a person who has not.</summary>
    public static async Task SignInAsync(IPage page, string user = "analyst")
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } password
            ? password
            : IdentityProviderUnderTest.Password(user));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Against a running stack: the analyst's password on its identity provider.</summary>
    public const string PasswordVariable = "ENERGYTRADE_E2E_ANALYST_PASSWORD";

    /// <summary>The analyst signs in once; every test's context starts from that cookie.</summary>
    private async Task<string> SignInOnceAsync()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await SignInAsync(page);
        try
        {
            await Ready(page);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"The analyst's sign-in did not reach the page: at {page.Url}, showing:\n" +
                $"{await page.Locator("body").InnerTextAsync()}\nThe page's log:\n{_web?.RecentLog(30)}", e);
        }
        return await context.StorageStateAsync();
    }

    /// <summary>A fresh browser context at desktop or phone width; what it shows is the test's to screenshot.</summary>
    public async Task<IPage> OpenAsync(string hash, int width = 1280, int height = 900)
    {
        var context = await NewContextAsync(width, height, _signedIn);
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
            ["Web__ClientId"] = IdentityProviderUnderTest.Web,
            ["Web__ClientSecret"] = IdentityProviderUnderTest.Secret(IdentityProviderUnderTest.Web),
        }, httpPort: _webPort);
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
            // The system's first creates (SystemFixture warmed up the token and the keys with a read, not the write path)
            // run while the other collection's system starts beside this one: a slow CI day took more than 10 s for them.
            await System.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = Guid.NewGuid().ToString() }, Deadline(60));
        }
        await Eventually.MatchAsync(() => System.Trade.GetBilateralTotalsAsync(range, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 5, TimeSpan.FromSeconds(30), "Trade to count the five seed cargoes");
    }

    /// <summary>On a running stack: a far year in which AZ and BY traded nothing, nor the year after (the live test's).</summary>
    private async Task<int> UnusedYearAsync()
    {
        for (var tries = 0; tries < 50; tries++)
        {
            var year = Random.Shared.Next(7100, 7900);
            var range = new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = Month(year, 1), LastMonth = Month(year + 1, 12) };
            var totals = await System.Trade.GetBilateralTotalsAsync(range, Deadline());
            if (totals.Exports.ShipmentCount == 0 && totals.Imports.ShipmentCount == 0) return year;
        }
        throw new InvalidOperationException("No unused year between 7100 and 7900 for AZ-BY on this stack.");
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
