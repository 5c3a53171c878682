using EnergyTrade.ServiceDefaults;
using Grpc.Core;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class FieldViolationsTests
{
    [Fact]
    public void Nothing_added_means_nothing_thrown()
    {
        var violations = new FieldViolations();

        Assert.False(violations.Any);
        violations.ThrowIfAny();
    }

    [Fact]
    public void Every_violation_reaches_the_client_as_invalid_argument_with_bad_request_details()
    {
        var violations = new FieldViolations();
        violations.Add("shipment.exporter_country", "'XX' is not assigned.", "UNKNOWN_COUNTRY");
        violations.Add("shipment.quantity.unit", "is required.");

        var ex = Assert.Throws<RpcException>(violations.ThrowIfAny);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("shipment.exporter_country: 'XX' is not assigned.", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("shipment.quantity.unit: is required.", ex.Status.Detail, StringComparison.Ordinal);

        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status.GetDetail<Google.Rpc.BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(
            new[] { ("shipment.exporter_country", "UNKNOWN_COUNTRY"), ("shipment.quantity.unit", "INVALID") },
            badRequest.FieldViolations.Select(v => (v.Field, v.Reason)));
        var info = status.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("INVALID_ARGUMENT", info.Reason);
        Assert.Equal("energytrade.io", info.Domain);
    }
}
