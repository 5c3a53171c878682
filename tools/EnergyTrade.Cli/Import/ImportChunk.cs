using EnergyTrade.Cli.Csv;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// Consecutive records of the file: the rows sent to the service as one ImportShipments chunk, and the
/// rows among them that could not be sent (CSV errors). Both are settled together, in line order, once
/// the service answers the chunk, so everything up to <see cref="LastLine"/> is then settled.
/// </summary>
public sealed class ImportChunk
{
    private readonly List<CreateShipmentRequest> _creates = [];
    private ImportShipmentsRequest? _request;

    public List<CsvShipmentRow> Rows { get; } = [];
    public List<CsvRowError> Errors { get; } = [];
    /// <summary>The encoded size of the creates so far: a chunk must stay inside the service's request limit.</summary>
    public int Bytes { get; private set; }

    public void Add(CsvShipmentRow row)
    {
        var create = row.Draft.ToRequest();
        Rows.Add(row);
        _creates.Add(create);
        Bytes += create.CalculateSize() + 4;
    }

    public int FirstLine => Math.Min(Rows.Count > 0 ? Rows[0].Line : int.MaxValue, Errors.Count > 0 ? Errors[0].Line : int.MaxValue);
    public int LastLine => Math.Max(Rows.Count > 0 ? Rows[^1].Line : 0, Errors.Count > 0 ? Errors[^1].Line : 0);
    public bool IsEmpty => Rows.Count == 0 && Errors.Count == 0;

    /// <summary>Built once: a chunk sent again after a broken stream is the same bytes with the same request_ids.</summary>
    public ImportShipmentsRequest Request(bool validateOnly)
    {
        if (_request is null)
        {
            _request = new ImportShipmentsRequest { ValidateOnly = validateOnly };
            _request.Requests.AddRange(_creates);
        }
        return _request;
    }
}
