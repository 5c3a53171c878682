using System.Collections.Concurrent;
using Npgsql;

namespace EnergyTrade.Trade.Totals;

/// <summary>
/// The spelling shown for each name: the first one trade_names recorded. Totals hold names by their
/// case-insensitive key; this turns a key back into that spelling. Spellings never change once
/// recorded, so both directions are remembered for the life of the process.
/// </summary>
public sealed class NameBook(NpgsqlDataSource dataSource)
{
    /// <summary>Names remembered at most; past it the memory starts afresh (a forgotten name costs one read or one redundant insert).</summary>
    private const int MaxRemembered = 200_000;

    // Names known to be in trade_names (the write side), and their kept spellings (the read side).
    private readonly ConcurrentDictionary<(NameKind, string), bool> _recorded = new();
    private readonly ConcurrentDictionary<(NameKind, string), string> _spellings = new();

    /// <summary>The names among these that this process has not yet seen recorded, each once, with its first spelling.</summary>
    public IReadOnlyList<(NameKind Kind, string Key, string Spelling)> Unrecorded(IEnumerable<(NameKind Kind, string Key, string Spelling)> names) =>
        names.Where(n => !_recorded.ContainsKey((n.Kind, n.Key)))
            .DistinctBy(n => (n.Kind, n.Key))
            .ToList();

    /// <summary>Records names, keeping the spelling of any already there; in key order, so concurrent applies meet them in one order.</summary>
    public static NpgsqlBatchCommand Record(IReadOnlyList<(NameKind Kind, string Key, string Spelling)> names)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO trade_names (kind, key, spelling)
            SELECT * FROM unnest($1::smallint[], $2::text[], $3::text[]) AS n(kind, key, spelling) ORDER BY kind, key
            ON CONFLICT (kind, key) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = names.Select(n => (short)n.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = names.Select(n => n.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = names.Select(n => n.Spelling).ToArray() });
        return command;
    }

    /// <summary>
    /// Called once the names are committed. Not their spellings: another apply may have recorded a
    /// name first with its own.
    /// </summary>
    public void Recorded(IReadOnlyList<(NameKind Kind, string Key, string Spelling)> names)
    {
        if (names.Count == 0) return;
        if (_recorded.Count + names.Count > MaxRemembered) _recorded.Clear();
        foreach (var n in names) _recorded[(n.Kind, n.Key)] = true;
    }

    /// <summary>The kept spelling of each key; a key trade_names does not hold (a row counted before names were kept) maps to itself.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SpellingsAsync(NameKind kind, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (_spellings.TryGetValue((kind, key), out var spelling)) found[key] = spelling;
            else missing.Add(key);
        }
        if (missing.Count == 0) return found;

        await using var command = dataSource.CreateCommand("SELECT key, spelling FROM trade_names WHERE kind = $1 AND key = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = (short)kind });
        command.Parameters.Add(new NpgsqlParameter { Value = missing.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (key, spelling) = (reader.GetString(0), reader.GetString(1));
            found[key] = spelling;
            if (_spellings.Count < MaxRemembered) _spellings[(kind, key)] = spelling;
        }
        foreach (var key in missing) found.TryAdd(key, key);
        return found;
    }
}
