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
    public static bool IsTransient(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                // Administrator shutdown, crash shutdown, cannot connect now, too many connections, connection failures.
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" or "08003" }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
