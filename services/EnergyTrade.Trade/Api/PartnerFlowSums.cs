namespace EnergyTrade.Trade.Api;

/// <summary>Sums of one direction and origin between a country and one partner.</summary>
public sealed record PartnerFlowSums(string Partner, FlowSums Sums);
