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

    [Theory]
    [InlineData("jobs list [--status", "jobs", "list", "--help")]
    [InlineData("jobs list [--status", "jobs", "list", "--limit", "5", "-h")]
    [InlineData("jobs cancel JOB-ID", "jobs", "--help")]
    [InlineData("process EPISODE-ID|MEDIA-FILE", "process", "--help")]
    public async Task ClientCommand_Help_PrintsItsUsageAndSucceeds(string usage, params string[] args)
    {
        var (code, output, error) = await Run(args);

        Assert.Equal((0, ""), (code, error));
        Assert.Contains("usage:", output, StringComparison.Ordinal);
        Assert.Contains("episodepipeline " + usage, output, StringComparison.Ordinal);
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

    /// <summary>An HTTP server stand-in for Hugging Face: every request gets <paramref name="answer"/>; the URLs asked are kept.</summary>
    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Uri> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add(request.RequestUri!);
            return Task.FromResult(answer(request));
        }
    }

    /// <summary>A response body that gives <paramref name="first"/> bytes, then fails as a dropped connection does.</summary>
    private sealed class DroppingStream(int first) : MemoryStream(new byte[first])
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position < Length ? base.Read(buffer, offset, count) : throw new IOException("The response ended prematurely.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("The response ended prematurely.");
    }

    private static async Task<(int Code, string Output, string Error, string[] Files)> DownloadAsync(HttpMessageHandler handler)
    {
        var folder = Directory.CreateTempSubdirectory("models-").FullName;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            using var client = new HttpClient(handler);
            var code = await ModelsCommand.RunAsync(["download", "base.en", "--dir", folder], output, error, new Whisper.net.Ggml.WhisperGgmlDownloader(client), CancellationToken.None);
            var files = Directory.GetFiles(folder).Select(f => Path.GetFileName(f) + ":" + new FileInfo(f).Length).ToArray();
            return (code, output.ToString(), error.ToString(), files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string> Failures => ["offline", "http 404", "dropped"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ModelsDownload_ThatFails_ExitsWithOneLineAndLeavesNoFile(string failure)
    {
        using var handler = new Answering(_ => failure switch
        {
            "offline" => throw new HttpRequestException("Name or service not known (huggingface.co:443)"),
            "http 404" => new HttpResponseMessage(System.Net.HttpStatusCode.NotFound),
            _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(new DroppingStream(70_000)) },
        });

        var (code, _, error, files) = await DownloadAsync(handler);

        Assert.Equal(4, code);
        Assert.StartsWith("Could not download base.en: ", error, StringComparison.Ordinal);
        Assert.Contains("make-model", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Empty(files);
    }

    [Fact]
    public async Task ModelsDownload_WritesTheWholeFileUnderWhisperCppsName()
    {
        var body = new byte[100_000];
        Random.Shared.NextBytes(body);
        using var handler = new Answering(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        var (code, output, error, files) = await DownloadAsync(handler);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(["ggml-base.en.bin:100000"], files);
        Assert.Contains("Pipeline:Whisper:ModelPath", output, StringComparison.Ordinal);
        Assert.EndsWith("ggml-base.en.bin", Assert.Single(handler.Asked).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_BadSetting_ExitsWithTheKeyInTheMessage()
    {
        var (code, _, error) = await Run("api", "--port", "0", "--Pipeline:Whisper:SegmentSeconds", "1");

        Assert.Equal(3, code);
        Assert.Contains("SegmentSeconds", error);
    }
}
