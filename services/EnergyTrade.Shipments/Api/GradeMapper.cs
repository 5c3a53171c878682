using EnergyTrade.Contracts.Grades;
using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

public static class GradeMapper
{
    public static V1.Grade ToProto(this CrudeGrade grade) => new()
    {
        Name = grade.Name,
        Aliases = { grade.Aliases },
        TypicalOriginCountry = grade.TypicalOriginCountry,
        ApiGravity = ProtoConvert.ToProtoDecimal(grade.ApiGravity),
        BarrelsPerTonne = ProtoConvert.ToProtoDecimal(grade.BarrelsPerTonne),
        Source = grade.Source,
    };
}
