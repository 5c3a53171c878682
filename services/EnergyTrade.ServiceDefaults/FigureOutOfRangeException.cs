namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// An answer holds a figure its wire type cannot carry (a sum beyond google.type.Money). The request
/// was valid and nothing is broken: a narrower question (fewer months, one direction) can be answered.
/// </summary>
public sealed class FigureOutOfRangeException(string message) : Exception(message);
