namespace EnergyTrade.Persistence;

/// <summary>The service stopped taking work before this request reached the database: nothing was changed.</summary>
public sealed class ShuttingDownException(string service) : Exception($"{service} is shutting down; nothing was changed.");
