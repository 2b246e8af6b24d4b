using EpisodePipeline.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// The Functions app's job retention: the purge the standalone host runs as <see cref="JobRetentionService"/>, on a
/// timer, because the isolated worker gets a <see cref="DurableTaskClient"/> only through a binding.
/// </summary>
public sealed class RetentionFunctions(JobRetention retention)
{
    [Function(nameof(PurgeExpiredJobs))]
    public Task PurgeExpiredJobs(
        [TimerTrigger(JobRetention.Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        FunctionContext function) =>
        retention.PurgeExpiredAsync(client, function.CancellationToken);
}
