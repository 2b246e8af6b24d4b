using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Orchestrations;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class JobControlTests
{
    [Theory]
    [InlineData("2026-01-01", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2026-01-01T10:30:00Z", "2026-01-01T10:30:00.0000000+00:00")]
    [InlineData("2026-01-01T10:30Z", "2026-01-01T10:30:00.0000000+00:00")]
    [InlineData("2026-01-01T10:30:00", "2026-01-01T10:30:00.0000000+00:00")]
    [InlineData("2026-01-01T12:30:00+02:00", "2026-01-01T10:30:00.0000000+00:00")]
    [InlineData("2026-01-01T12:30:00.1234567+02:00", "2026-01-01T10:30:00.1234567+00:00")]
    [InlineData("2026-01-01T08:30:00-02:00", "2026-01-01T10:30:00.0000000+00:00")]
    [InlineData("2026-01-01T12:30:00 02:00", "2026-01-01T10:30:00.0000000+00:00")] // '+' unencoded in a query string
    [InlineData(" 2026-01-01T10:30:00Z ", "2026-01-01T10:30:00.0000000+00:00")]
    public void PurgeInstant_Iso8601_IsReadAsUtc(string text, string expected)
    {
        Assert.True(JobControlApi.TryParseInstant(text, out var instant));

        Assert.Equal(expected, instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("01/02/2026")]
    [InlineData("2026-13-01")]
    [InlineData("2026-01-01T25:00:00Z")]
    [InlineData("2026-01-01 10:30:00")]
    [InlineData("2026-01-01T10:30:00+0200x")]
    [InlineData("1767225600")]
    public void PurgeInstant_AnythingElse_IsRefused(string? text)
    {
        Assert.False(JobControlApi.TryParseInstant(text, out _));
    }

    [Theory]
    [InlineData(nameof(ProcessEpisodeOrchestrator), JobTypes.ProcessEpisode)]
    [InlineData("EnrichOnlyOrchestrator", null)]
    [InlineData("processepisodeorchestrator", null)]
    [InlineData(null, null)]
    public void JobTypes_KnowWhichOrchestrationsAreJobs(string? orchestration, string? jobType)
    {
        Assert.Equal(jobType, JobTypes.Of(orchestration));
        Assert.Equal(jobType is not null, JobTypes.IsJob(orchestration));
    }
}
