using System.Security.Cryptography;
using System.Text;
using Cronos;
using EpisodePipeline.Functions.Functions;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The nightly batch's pure parts: its job ids, its settings, the Functions timer's scheduled time.</summary>
public class NightlyBatchScheduleTests
{
    private static readonly TimeZoneInfo PlusThree = TimeZoneInfo.CreateCustomTimeZone("test+03", TimeSpan.FromHours(3), "test+03", "test+03");

    /// <summary>UUID v5 as RFC 9562 §5.5 defines it, written here independently of the library the code uses.</summary>
    private static Guid UuidV5(Guid space, string name)
    {
#pragma warning disable CA5350 // RFC 9562 defines v5 with SHA-1; it names, it does not protect.
        var hash = SHA1.HashData([.. space.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(name)]);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    [Fact]
    public void UuidV5Oracle_MatchesTheRfcExample()
    {
        // RFC 9562 Appendix A.4: the DNS namespace and "www.example.com".
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), UuidV5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    [Fact]
    public void ScheduledJobId_IsTheUuidV5OfTheInstantInUtc_AJobIdWhateverTheOffset()
    {
        var at = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

        var id = BatchJobs.ScheduledJobId(at);

        Assert.Equal(UuidV5(BatchJobs.ScheduleNamespace, "2026-12-01T02:00:00Z").ToString("D"), id);
        Assert.True(EpisodeJobs.TryNormalizeJobId(id, out var normalized) && normalized == id);
        Assert.Equal(id, BatchJobs.ScheduledJobId(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal(id, BatchJobs.ScheduledJobId(at.AddMilliseconds(400)));
        Assert.NotEqual(id, BatchJobs.ScheduledJobId(at.AddSeconds(1)));
        Assert.NotEqual(id, BatchJobs.ScheduledJobId(at.AddDays(1)));
    }

    private static ServiceProvider Services(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddEpisodePipeline().BuildServiceProvider();
    }

    [Fact]
    public void Defaults_NightlyAtTwoToRenderedTwoAtATimeWithoutWebhook()
    {
        var batches = Services().GetRequiredService<BatchJobs>();

        var input = batches.Input(scheduledFor: null);

        Assert.Equal((EpisodeStage.Rendered, 2, (string?)null, (DateTimeOffset?)null), (input.TargetStage, input.MaxParallelJobs, input.WebhookUrl, input.ScheduledFor));
        Assert.Equal("0 0 2 * * *", Services().GetRequiredService<IOptions<PipelineOptions>>().Value.Batch.Schedule);
    }

    [Fact]
    public void Input_RequestValuesReplaceTheSettings()
    {
        var batches = Services(("Pipeline:Batch:TargetStage", "enriched"), ("Pipeline:Batch:MaxParallelJobs", "3")).GetRequiredService<BatchJobs>();

        Assert.Equal(EpisodeStage.Enriched, batches.Input(null).TargetStage);
        var asked = batches.Input(new DateTimeOffset(2026, 12, 1, 3, 0, 0, 250, TimeSpan.FromHours(1)), EpisodeStage.Transcribed, "http://n8n.local/hook");
        Assert.Equal((EpisodeStage.Transcribed, 3, "http://n8n.local/hook"), (asked.TargetStage, asked.MaxParallelJobs, asked.WebhookUrl));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), asked.ScheduledFor);
    }

    [Theory]
    [InlineData("Pipeline:Batch:Schedule", "0 0 25 * * *", "Pipeline:Batch:Schedule ('0 0 25 * * *')")]
    [InlineData("Pipeline:Batch:Schedule", "0 2 * * *", "six-field NCRONTAB")]
    [InlineData("Pipeline:Batch:Schedule", "00:05:00", "six-field NCRONTAB")]
    [InlineData("Pipeline:Batch:TargetStage", "discovered", "Pipeline:Batch:TargetStage ('discovered') must be one of: transcribed, enriched, rendered.")]
    [InlineData("Pipeline:Batch:TargetStage", "Rendered", "Pipeline:Batch:TargetStage ('Rendered')")]
    [InlineData("Pipeline:Batch:MaxParallelJobs", "0", "MaxParallelJobs")]
    [InlineData("Pipeline:Batch:WebhookUrl", "ftp://n8n.local/hook", "Pipeline:Batch:WebhookUrl cannot be used: 'ftp://n8n.local/hook' is not an absolute http or https URL.")]
    [InlineData("Pipeline:Batch:WebhookUrl", "http://n8n.local/hook", "Pipeline:Batch:WebhookUrl cannot be used: Pipeline:Webhook:Secret is empty")]
    public void BadBatchSetting_StopsStartNamingTheKey(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Services((key, value)).GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimerWithScheduleStatus_TheOccurrenceDueIsStatusNextInHostTime()
    {
        var cron = CronExpression.Parse("0 0 2 * * *", CronFormat.IncludeSeconds);
        var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Next = new DateTime(2026, 12, 1, 2, 0, 0, DateTimeKind.Unspecified) } };

        var due = BatchTimerFunctions.ScheduledInstant(timer, cron, new DateTimeOffset(2026, 11, 30, 23, 0, 1, TimeSpan.Zero), PlusThree);

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), due);
    }

    [Theory]
    [InlineData("0 0 2 * * *", "2026-12-01T02:00:00.4000000+00:00", "2026-12-01T02:00:00+00:00")]
    [InlineData("0 0 2 * * *", "2026-12-01T01:59:59.6000000+00:00", "2026-12-01T02:00:00+00:00")] // a timer a moment early
    [InlineData("*/10 * * * * *", "2026-12-01T02:00:20.3000000+00:00", "2026-12-01T02:00:20+00:00")]
    public void TimerWithoutScheduleStatus_TheOccurrenceDueIsTheScheduleLatestOneNow(string schedule, string now, string expected)
    {
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);

        var due = BatchTimerFunctions.ScheduledInstant(new TimerInfo(), cron, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), due);
    }
}
