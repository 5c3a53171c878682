namespace EnergyTrade.Shipments.Data;

/// <summary>Another change to the shipment committed between this one's read and its write.</summary>
public sealed class ConcurrentChangeException(string shipment, Exception inner)
    : Exception($"{shipment} was changed concurrently.", inner);
