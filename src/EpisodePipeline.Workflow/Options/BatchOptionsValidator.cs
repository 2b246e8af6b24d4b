using Cronos;
using EpisodePipeline.Jobs;
using EpisodePipeline.Services.Webhooks;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>
/// The batch rules data annotations cannot say, checked at start with the key that must change: a schedule Cronos
/// can read, a target stage this build can reach, a summary webhook this host may and can call.
/// </summary>
public sealed class BatchOptionsValidator : IValidateOptions<PipelineOptions>
{
    private const string Key = PipelineOptions.Section + ":Batch:";

    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        var batch = options.Batch;
        if (batch.Schedule is { } schedule && !CronExpression.TryParse(schedule, CronFormat.IncludeSeconds, out _))
        {
            errors.Add($"{Key}Schedule ('{schedule}') is not an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. '0 0 2 * * *' for 02:00 every day.");
        }

        if (!TargetStages.TryParse(batch.TargetStage, out var stage))
        {
            errors.Add($"{Key}TargetStage ('{batch.TargetStage}') must be one of: {TargetStages.Choices}.");
        }
        else if (TargetStages.Unavailable(stage) is { } unavailable)
        {
            errors.Add($"{Key}TargetStage: {unavailable}");
        }

        if (batch.WebhookUrl.Length > 0
            && (WebhookPolicy.CheckUrl(batch.WebhookUrl, options.Webhook) ?? WebhookPolicy.CheckReady(options.Webhook)) is { } webhookProblem)
        {
            errors.Add($"{Key}WebhookUrl cannot be used: {webhookProblem}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
