using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// Starts Durable Task's in-process test host. It picks its gRPC port itself, and on a machine where test
/// hosts, Azurite and host processes come and go that port is now and then taken between its choice and its
/// bind ("address already in use"); a new start picks another. Nothing the test asserts is retried.
/// </summary>
public static class DurableTestHosts
{
    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> registry, DurableTaskTestHostOptions options)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry, options);
            }
            catch (IOException ex) when (attempt < 3 && ex.InnerException is AddressInUseException)
            {
            }
        }
    }
}
