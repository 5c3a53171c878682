using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Grades;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The grade catalogue, read like any other list of the service.</summary>
public sealed partial class ShipmentsGrpcService
{
    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override Task<V1.ListGradesResponse> ListGrades(V1.ListGradesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var pageSize = PageSize(request.PageSize, violations);
        var after = "";
        if (request.PageToken.Length > 0 && !GradePageToken.TryDecode(request.PageToken, out after))
        {
            violations.Add("page_token", "is not a token returned by ListGrades.", "INVALID_PAGE_TOKEN");
        }
        violations.ThrowIfAny();

        // The catalogue is ordered by key, so the page starts at the first grade after the token's.
        var rest = GradeCatalogue.Standard.Grades.SkipWhile(g => string.CompareOrdinal(Names.Key(g.Name), after) <= 0).ToList();
        var response = new V1.ListGradesResponse();
        response.Grades.AddRange(rest.Take(pageSize).Select(g => g.ToProto()));
        if (rest.Count > pageSize) response.NextPageToken = GradePageToken.Encode(Names.Key(rest[pageSize - 1].Name));
        return Task.FromResult(response);
    }
}
