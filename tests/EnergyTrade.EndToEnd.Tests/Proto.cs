using System.Globalization;
using Google.Rpc;
using Grpc.Core;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>Reading the wire types as an outside client would.</summary>
internal static class Proto
{
    public static decimal Dec(Google.Type.Decimal? d) => d is null ? 0 : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static decimal Usd(Google.Type.Money? m) => m is null ? 0 : m.Units + m.Nanos / 1_000_000_000m;

    public static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    public static Google.Type.Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static BadRequest BadRequestOf(RpcException ex) =>
        ex.GetRpcStatus()?.GetDetail<BadRequest>() ?? throw new Xunit.Sdk.XunitException($"No BadRequest detail in {ex.Status}");

    public static ErrorInfo ErrorInfoOf(RpcException ex) =>
        ex.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"No ErrorInfo detail in {ex.Status}");

    public static CallOptions Deadline(int seconds = 10) => new(deadline: DateTime.UtcNow.AddSeconds(seconds));
}
