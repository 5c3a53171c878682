using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>A shipment's history (AIP-162): every version, as it stood, newest first.</summary>
public sealed partial class ShipmentsGrpcService
{
    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override async Task<V1.ListShipmentRevisionsResponse> ListShipmentRevisions(V1.ListShipmentRevisionsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ParseName(request.Name, "name", violations);
        var pageSize = PageSize(request.PageSize, violations);
        RevisionPageToken? after = null;
        if (request.PageToken.Length > 0 && (!PageTokens.TryDecode(request.PageToken, out after) || after!.Shipment != request.Name))
        {
            violations.Add("page_token", "is not a token returned by ListShipmentRevisions for this shipment.", "INVALID_PAGE_TOKEN");
        }
        violations.ThrowIfAny();

        var page = await revisions.ReadAsync(id, after?.Version, pageSize + 1, context.CancellationToken);
        // Every shipment has at least one revision, so only an unknown one has none to start with.
        if (page.Count == 0 && after is null && !await db.Shipments.AnyAsync(s => s.Id == id, context.CancellationToken))
        {
            throw RpcErrors.NotFound(ShipmentResource, request.Name);
        }
        var response = new V1.ListShipmentRevisionsResponse();
        response.Revisions.AddRange(page.Take(pageSize).Select(e => e.ToProto()));
        if (page.Count > pageSize) response.NextPageToken = PageTokens.Encode(new RevisionPageToken(request.Name, page[pageSize - 1].Revision.Version));
        return response;
    }
}
