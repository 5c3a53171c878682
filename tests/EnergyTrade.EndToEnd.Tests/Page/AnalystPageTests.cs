using System.Diagnostics;
using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static EnergyTrade.EndToEnd.Tests.Proto;
using static Microsoft.Playwright.Assertions;

namespace EnergyTrade.EndToEnd.Tests.Page;

/// <summary>The analysts' page in a real headless chromium, against the real services, as an analyst uses it.</summary>
[Collection(AnalystPageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AnalystPageTests(AnalystPageFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_seed_pair_shows_3_83_million_barrels_of_which_2_05_million_Azerbaijani_and_1_78_million_other()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash());

        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("3,830,000");
        await Expect(page.GetByTestId("origin-barrels-AZ")).ToHaveTextAsync("2,050,000");
        await Expect(page.GetByTestId("origin-barrels-KZ")).ToHaveTextAsync("1,200,000");
        await Expect(page.GetByTestId("origin-barrels-RU")).ToHaveTextAsync("580,000");
        var other = 0m;
        foreach (var origin in new[] { "KZ", "RU" }) other += Figure(await page.GetByTestId($"origin-barrels-{origin}").InnerTextAsync());
        Assert.Equal(1_780_000m, other);

        // The chart holds the same figures: each month's bars by origin add up to the month's barrels.
        var byMonth = await ChartMonthTotalsAsync(page);
        Assert.Equal([700_000m, 1_200_000m, 1_255_000m, 675_000m], byMonth);
        // March: 90,000 t of Azeri Light at 7.5 bbl/t and 80,000 t of Urals at 7.25.
        var march = page.GetByTestId($"month-row-{fixture.SeedYear}-03");
        await Expect(march).ToContainTextAsync("675,000");
        await Expect(march).ToContainTextAsync("580,000");

        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "pair")}");
    }

    [Fact]
    public async Task Recording_a_shipment_updates_the_figures_and_the_chart_without_a_reload()
    {
        var year = fixture.SeedYear + 1;
        var page = await fixture.OpenAsync($"#pair?country=AZ&partner=BY&from={year}-01&to={year}-04");
        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("live-status")).ToHaveTextAsync("Live");
        // Gone if the page reloads.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        var clock = Stopwatch.StartNew();
        await fixture.System.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 100_000m, Quantity.Types.Unit.Barrels, null, year, 2, 11, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        var acknowledged = clock.Elapsed;
        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("100,000", new() { Timeout = 10_000 });
        var shown = clock.Elapsed;

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        Assert.Equal([0m, 100_000m, 0m, 0m], await ChartMonthTotalsAsync(page));
        // How soon is a figure for the record (the README's), not a bound: a loaded CI machine is no benchmark.
        output.WriteLine($"shipment acknowledged after {acknowledged.TotalMilliseconds:F0} ms, on the page after {shown.TotalMilliseconds:F0} ms");
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "pair-live")}");
    }

    [Fact]
    public async Task Clicking_a_bar_shows_the_shipments_behind_it_which_download_as_CSV()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash());

        // March's Russian bar: the chart's own geometry says where it is drawn.
        await ClickBarAsync(page, "RU", month: 2);

        var shipments = page.GetByTestId("shipments");
        await Expect(shipments.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(shipments).ToContainTextAsync("Urals");
        await Expect(shipments).ToContainTextAsync("580,000");
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "pair-shipments")}");

        var download = await page.RunAndWaitForDownloadAsync(() => shipments.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var lines = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("id,shipper,buyer,exporter,importer,origin,grade,barrels,tonnes,value_usd,load_date,delivery_date,load_port,discharge_port", lines[0]);
        Assert.True(lines.Length == 2 && lines[1].Contains(",AZ,BY,RU,Urals,580000,80000,", StringComparison.Ordinal), string.Join('\n', lines));
    }

    [Fact]
    public async Task Bars_stack_by_grade_and_the_shipments_behind_one_are_that_grades()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash() + "&stackBy=grade");

        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("3,830,000");
        await Expect(page.GetByTestId("origin-barrels-Azeri Light")).ToHaveTextAsync("2,050,000");
        await Expect(page.GetByTestId("origin-barrels-CPC Blend")).ToHaveTextAsync("1,200,000");
        await Expect(page.GetByTestId("origin-barrels-Urals")).ToHaveTextAsync("580,000");
        Assert.Equal("grade", await page.GetByLabel("Bars stacked by").InputValueAsync());

        var csv = await page.APIRequest.GetAsync($"/api/series.csv?country=AZ&partner=BY&from={fixture.SeedYear}-01&to={fixture.SeedYear}-04&stackBy=grade");
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("month,exporter,importer,grade,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"{fixture.SeedYear}-03,AZ,BY,Urals,1,580000,", StringComparison.Ordinal));

        // March's Azeri Light, from the chart: the one cargo of that grade loaded in March.
        await ClickBarAsync(page, "Azeri Light", month: 2);
        var shipments = page.GetByTestId("shipments");
        await Expect(shipments.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(shipments).ToContainTextAsync("Ceyhan");
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "pair-by-grade")}");
    }

    [Fact]
    public async Task The_keyboard_alone_opens_a_months_shipments()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash());
        var target = $"Shipments of {fixture.SeedYear}-03";

        var reached = false;
        for (var presses = 0; presses < 80 && !reached; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('aria-label')") == target;
        }
        Assert.True(reached, $"Tab never reached the button '{target}'");
        await page.Keyboard.PressAsync("Enter");

        var shipments = page.GetByTestId("shipments");
        await Expect(shipments.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(shipments).ToContainTextAsync("Ceyhan");
        await Expect(shipments).ToContainTextAsync("Novorossiysk");
        await Expect(shipments).ToContainTextAsync("Urals");
    }

    [Fact]
    public async Task A_countrys_partners_are_ranked_and_one_click_leads_to_the_pair()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash("partners", "BY"));

        var azerbaijan = page.GetByTestId("partner-row-AZ");
        await Expect(azerbaijan).ToContainTextAsync("3,830,000");
        if (fixture.System.FreshSystem) await Expect(azerbaijan.Locator("td, th").First).ToHaveTextAsync("1");
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "partners")}");

        await azerbaijan.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#pair\\?country=BY&partner=AZ.*flow=imports"));
        await AnalystPageFixture.Ready(page);
        // Belarus's side of the pair, in the direction that carried the oil: the seed is its imports.
        Assert.Equal(fixture.SeedYear.ToString(CultureInfo.InvariantCulture) + "-01", await page.Locator("input[type=month]").First.InputValueAsync());
        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("3,830,000");
    }

    [Fact]
    public async Task At_phone_width_nothing_scrolls_sideways_and_every_control_is_labelled()
    {
        var page = await fixture.OpenAsync(fixture.SeedHash(), width: 360, height: 740);
        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("3,830,000");

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at 360 px");
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, button, a[href]')]
              .filter(e => e.offsetParent !== null)
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
              .map(e => e.outerHTML.slice(0, 80))
            """);
        Assert.Empty(unlabelled);
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "pair-phone")}");
    }

    [Fact]
    public async Task Nobody_sees_a_figure_before_signing_in_with_the_identity_provider()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        var api = await page.APIRequest.GetAsync($"/api/series?country=AZ&partner=BY&from={fixture.SeedYear}-01&to={fixture.SeedYear}-04");
        Assert.Equal(401, api.Status);
        var csv = await page.APIRequest.GetAsync($"/api/series.csv?country=AZ&partner=BY&from={fixture.SeedYear}-01&to={fixture.SeedYear}-04");
        Assert.Equal(401, csv.Status);

        // A link to a view, opened by someone not signed in: the provider's sign-in page, then that view.
        await page.GotoAsync("/" + fixture.SeedHash());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        Assert.DoesNotContain(fixture.PageUrl.Authority, new Uri(page.Url).Authority, StringComparison.Ordinal);
        output.WriteLine($"screenshot: {await AnalystPageFixture.ScreenshotAsync(page, "sign-in")}");

        await AnalystPageFixture.SignInAsync(page, "analyst");
        await AnalystPageFixture.Ready(page);
        Assert.EndsWith(fixture.SeedHash(), Uri.UnescapeDataString(page.Url), StringComparison.Ordinal);
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in as analyst");
        await Expect(page.GetByTestId("total-barrels")).ToHaveTextAsync("3,830,000");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You have signed out" })).ToBeVisibleAsync();
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/me")).Status);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page_and_shows_nothing()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByLabel("User name").FillAsync("analyst");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The user name or the password is wrong");
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/me")).Status);
    }

    [Fact]
    public async Task A_country_that_does_not_exist_is_refused_with_the_reason_on_the_page()
    {
        var page = await fixture.OpenAsync($"#pair?country=ZZ&partner=BY&from={fixture.SeedYear}-01&to={fixture.SeedYear}-04");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ZZ");
        var answer = await page.APIRequest.GetAsync($"/api/series?country=AZ&partner=BY&from={fixture.SeedYear}-13&to={fixture.SeedYear}-04");
        Assert.Equal(400, answer.Status);
        Assert.Contains("YYYY-MM", await answer.TextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Clicks the bar of one dataset (an origin or group, by its legend label) in one month, where the chart drew it.</summary>
    private static async Task ClickBarAsync(IPage page, string label, int month)
    {
        var point = await page.EvaluateAsync<float[]>("""
            ([label, month]) => {
              const chart = Chart.getChart(document.querySelector('canvas'));
              const bar = chart.getDatasetMeta(chart.data.datasets.findIndex(d => d.label === label)).data[month];
              // Mouse clicks land in the viewport only.
              chart.canvas.scrollIntoView({ block: 'center' });
              const box = chart.canvas.getBoundingClientRect();
              return [box.left + bar.x, box.top + (bar.y + bar.base) / 2];
            }
            """, new object[] { label, month });
        await page.Mouse.ClickAsync(point[0], point[1]);
    }

    /// <summary>Each month's stacked bars (every dataset of the "current" stack) added up, from the chart itself.</summary>
    private static async Task<decimal[]> ChartMonthTotalsAsync(IPage page)
    {
        var totals = await page.EvaluateAsync<double[]>("""
            () => {
              const chart = Chart.getChart(document.querySelector('canvas'));
              const bars = chart.data.datasets.filter(d => (d.type ?? chart.config.type) === 'bar');
              return chart.data.labels.map((_, i) => bars.reduce((sum, d) => sum + (Number(d.data[i]) || 0), 0));
            }
            """);
        return [.. totals.Select(t => Math.Round((decimal)t, 3))];
    }

    private static decimal Figure(string text) => decimal.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
