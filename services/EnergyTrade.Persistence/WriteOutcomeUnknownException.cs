using Npgsql;

namespace EnergyTrade.Persistence;

/// <summary>
/// The connection to PostgreSQL broke after a write (or its COMMIT) was sent and before the server
/// answered: the write may or may not have been committed. Distinct from a refused or never-sent
/// write, after which nothing changed, so callers are told the truth about what to do next.
/// </summary>
public sealed class WriteOutcomeUnknownException(Exception inner)
    : Exception("The connection to PostgreSQL was lost while a write was being committed; it may or may not have been committed.", inner)
{
    /// <summary>
    /// Runs a write that has already reached an open connection. A server error (PostgresException)
    /// means the statement or transaction failed and nothing was committed; a broken connection or a
    /// timeout leaves the outcome unknown.
    /// </summary>
    public static async Task<T> Guard<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            throw new WriteOutcomeUnknownException(ex);
        }
    }

    public static Task Guard(Func<Task> write) => Guard(async () =>
    {
        await write();
        return true;
    });
}
