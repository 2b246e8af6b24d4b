using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Jobs;

/// <summary>
/// The standalone host's retention task: <see cref="JobRetention.PurgeExpiredAsync"/> at start and then every
/// <see cref="JobRetention.Interval"/>. A failed pass is logged and the next one tries again. The Functions app runs
/// the same purge from a timer function, since its isolated worker gets a durable client only through a binding.
/// </summary>
public sealed class JobRetentionService(
    JobRetention retention,
    DurableTaskClient client,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<JobRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Jobs.RetentionDays == 0)
        {
            logger.JobRetentionOff();
            return;
        }

        using var timer = new PeriodicTimer(JobRetention.Interval, time);
        do
        {
            try
            {
                await retention.PurgeExpiredAsync(client, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.JobRetentionFailed(options.Value.Jobs.RetentionDays, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
