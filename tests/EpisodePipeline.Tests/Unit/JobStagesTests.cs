using EpisodePipeline.Jobs;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class JobStagesTests
{
    [Theory]
    [InlineData(0, 7, 10.0)]
    [InlineData(2, 7, 18.6)]
    [InlineData(7, 7, 40.0)]
    [InlineData(9, 7, 40.0)]
    [InlineData(0, 0, 10.0)]
    public void InBand_TranscribingMovesFrom10To40(int done, int total, double expected)
    {
        Assert.Equal(expected, JobPhases.Progress(JobPhase.Transcribing, done, total));
    }

    [Fact]
    public void EtaSeconds_ExtrapolatesTheAverageOfFinishedWork()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(240, JobPhases.EtaSeconds(start, start.AddSeconds(60), done: 2, total: 10));
        Assert.Equal(0, JobPhases.EtaSeconds(start, start.AddSeconds(60), done: 10, total: 10));
        Assert.Equal(1, JobPhases.EtaSeconds(start, start.AddSeconds(0.5), done: 1, total: 2));
    }

    [Fact]
    public void EtaSeconds_IsUnknownBeforeAnythingFinished()
    {
        var start = DateTime.UnixEpoch;

        Assert.Null(JobPhases.EtaSeconds(start, start.AddMinutes(5), done: 0, total: 10));
    }
}
