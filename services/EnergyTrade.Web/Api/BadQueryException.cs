namespace EnergyTrade.Web.Api;

/// <summary>A query parameter the page's API cannot take: answered 400 with the message, before any call upstream.</summary>
public sealed class BadQueryException(string message) : Exception(message);
