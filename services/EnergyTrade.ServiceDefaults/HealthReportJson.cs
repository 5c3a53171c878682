using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// The health endpoints' JSON. They are anonymous (load balancers and orchestrators probe them without
/// tokens), so an anonymous caller gets statuses only: descriptions and data name hosts, queues and
/// backlogs. A caller with a valid token also gets descriptions and data. Exception messages go to
/// nobody — they can carry connection details — only to the log.
/// </summary>
public static class HealthReportJson
{
    /// <summary>What a check that threw says instead of the exception's message.</summary>
    public const string FailedCheckDescription = "The check failed; the service log has the details.";

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var detailed = await HasValidTokenAsync(context);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Render(report, detailed));
    }

    public static string Render(HealthReport report, bool detailed) => detailed
        ? JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            totalDurationMs = report.TotalDuration.Ticks / TimeSpan.TicksPerMillisecond,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = DescriptionOf(e.Value),
                data = e.Value.Data,
            }),
        }, JsonOptions)
        : JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
        }, JsonOptions);

    /// <summary>
    /// The endpoint allows anonymous callers, so the authorization middleware never asked for a token:
    /// authenticate the bearer scheme explicitly. Without a signing key (Auth:AllowAnonymous) no token
    /// can be valid, and nobody gets details.
    /// </summary>
    private static async Task<bool> HasValidTokenAsync(HttpContext context)
    {
        var schemes = context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
        if (await schemes.GetSchemeAsync(JwtBearerDefaults.AuthenticationScheme) is null) return false;
        return (await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme)).Succeeded;
    }

    /// <summary>
    /// A check that throws is reported with the exception's message as its description
    /// (DefaultHealthCheckService), and some checks quote one in their own: neither is passed on.
    /// </summary>
    private static string? DescriptionOf(HealthReportEntry entry)
    {
        if (entry.Exception is null) return entry.Description;
        var description = entry.Description;
        for (var ex = entry.Exception; ex is not null && description is not null; ex = ex.InnerException)
        {
            if (description.Contains(ex.Message, StringComparison.Ordinal)) description = null;
        }
        return description ?? FailedCheckDescription;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
