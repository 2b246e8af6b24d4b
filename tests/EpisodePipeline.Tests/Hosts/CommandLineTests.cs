using EpisodePipeline.Host.Commands;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

public class CommandLineTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task NoArguments_PrintsUsage()
    {
        var (code, output, _) = await Run();

        Assert.Equal(0, code);
        Assert.Contains("episodepipeline api", output);
        Assert.Contains("models download", output);
        Assert.Contains("episodepipeline process EPISODE-ID|MEDIA-FILE", output);
        Assert.Contains("episodepipeline jobs list", output);
        Assert.Contains("EPISODEPIPELINE_URL", output);
        Assert.Contains("exit codes", output);
    }

    [Fact]
    public async Task UnknownCommand_FailsWithUsage()
    {
        var (code, output, _) = await Run("serve");

        Assert.Equal(2, code);
        Assert.Contains("usage", output);
    }

    [Fact]
    public async Task ModelsDownload_UnknownModel_ListsTheKnownNames()
    {
        var (code, output, _) = await Run("models", "download", "gigantic");

        Assert.Equal(2, code);
        Assert.Contains("Unknown model 'gigantic'", output);
        Assert.Contains("base.en", output);
        Assert.Contains("large-v3-turbo", output);
    }

    [Fact]
    public async Task Api_BadSetting_ExitsWithTheKeyInTheMessage()
    {
        var (code, _, error) = await Run("api", "--port", "0", "--Pipeline:Whisper:SegmentSeconds", "1");

        Assert.Equal(3, code);
        Assert.Contains("SegmentSeconds", error);
    }
}
