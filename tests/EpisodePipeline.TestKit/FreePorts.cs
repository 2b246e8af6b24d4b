using System.Net;
using System.Net.Sockets;

namespace EpisodePipeline.TestKit;

/// <summary>
/// Ports for servers a test starts on an address it must know beforehand (Azurite, a host process that is
/// restarted on the same port, a webhook receiver). A port taken with "bind to 0, read, release" comes from
/// the kernel's ephemeral range, where the next port-0 bind (a sidecar, a test host) may be handed the same
/// port before the server binds it. These come from below that range (Linux: 32768 and up), so no port-0
/// bind can take them; each is checked free when handed out.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int _next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + (Interlocked.Increment(ref _next) % (Last - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }
}
