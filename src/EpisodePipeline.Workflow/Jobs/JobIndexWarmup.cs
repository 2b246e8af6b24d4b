using EpisodePipeline.Logging;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Builds the <see cref="JobIndex"/> as the host starts, so the first job list or stats request after a restart does
/// not wait for a read of every instance. For hosts with a <see cref="DurableTaskClient"/> in their services (the
/// standalone host); elsewhere the first request builds it.
/// </summary>
public sealed class JobIndexWarmup(JobIndex index, DurableTaskClient client, ILogger<JobIndexWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await index.RefreshAsync(client, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.JobIndexWarmupFailed(ex);
        }
    }
}
