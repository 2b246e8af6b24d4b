using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;

namespace EpisodePipeline.Http;

/// <summary>The rules a job request's <c>target_stage</c> and <c>webhook_url</c> follow, for every kind of job.</summary>
internal static class JobRequestRules
{
    /// <summary>Parses <paramref name="name"/>; a name that is no stage to process to adds a <c>target_stage</c> error (400).</summary>
    public static EpisodeStage TargetStage(string name, Dictionary<string, string[]> errors)
    {
        if (!TargetStages.TryParse(name, out var target))
        {
            errors["target_stage"] = [$"'{name}' is not a stage to process to; use one of: {TargetStages.Choices}."];
        }

        return target;
    }

    /// <summary>A <c>webhook_url</c> that is not an absolute http(s) URL adds an error (400).</summary>
    public static void WebhookUrl(string? url, Dictionary<string, string[]> errors)
    {
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttp && hook.Scheme != Uri.UriSchemeHttps)))
        {
            errors["webhook_url"] = [$"'{url}' is not an absolute http(s) URL."];
        }
    }

    /// <summary>
    /// Why this build or host cannot do what a well-formed request asks (422): a stage beyond the build's last, or a
    /// <c>webhook_url</c> this host may not or cannot call (allow-list, signing secret). Null when it can.
    /// </summary>
    public static string? Unreachable(EpisodeStage target, string? webhookUrl, WebhookOptions webhook) =>
        TargetStages.Unavailable(target)
        ?? (webhookUrl is null ? null : WebhookPolicy.CheckUrl(webhookUrl, webhook) ?? WebhookPolicy.CheckReady(webhook));
}
