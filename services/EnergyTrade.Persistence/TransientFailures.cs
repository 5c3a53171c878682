using System.Net.Sockets;
using Npgsql;

namespace EnergyTrade.Persistence;

/// <summary>
/// Whether a failure is a lost or refused connection (try again later) rather than a bug or a refused
/// statement (trying again fails again). One answer for every retry decision: the gRPC error mapping,
/// the consumer's retry policy, start-up migration and the group commit's fallback.
/// </summary>
public static class TransientFailures
{
    // NpgsqlMultiHostDataSource's words; it has no error code or type of its own for this.
    private const string NoSuitableHost = "No suitable host was found";

    public static bool IsTransient(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            // One failure per host of a multi-host connection: worth retrying only if each one is.
            if (e is AggregateException { InnerExceptions.Count: > 1 } each) return each.InnerExceptions.All(IsTransient);
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                // Administrator shutdown, crash shutdown, cannot connect now, too many connections, connection failures.
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" or "08003" }:
                // A write that reached a server which is (now) a standby: nothing was written, and the
                // next connection goes to the primary (Target Session Attributes=read-write).
                case PostgresException { SqlState: "25006" }:
                // A multi-host connection during a failover when no host is the primary yet: every host
                // was skipped, so there is no inner exception to tell.
                case NpgsqlException when e.InnerException is null && e.Message.StartsWith(NoSuitableHost, StringComparison.Ordinal):
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
