namespace EnergyTrade.Cli.Profiles;

/// <summary>A setting's effective value and where it came from ("--ca-file", "ENERGYTRADE_CA_FILE", "profile 'prod'", "default").</summary>
public sealed record Setting(ConfigKey Key, string? Value, string Source)
{
    public const string DefaultSource = "default";
    public const string UnsetSource = "not set";

    public bool IsSet => Value is not null;
    public bool IsDefault => Source == DefaultSource;
}
