using System.Diagnostics;
using EpisodePipeline.Services.Media;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>Escaped values survive .NET's own command-line splitting, checked by a real process that prints its argument.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("plain.mp3")]
    [InlineData("Ep 1 \"Pilot\".mp3")]
    [InlineData("back\\slash.mp3")]
    [InlineData("ends with backslash\\")]
    [InlineData("slash before quote\\\"x.mp3")]
    [InlineData("two\\\\\"quotes\"\".mp3")]
    [InlineData("it's $(not) `run` ; & | %20 *.mp3")]
    [InlineData("Épisode spécial 🎙.mp3")]
    public void EscapeQuoted_BetweenQuotes_SplitsBackToTheSameArgument(string value)
    {
        var info = new ProcessStartInfo("printf", $"%s \"{CommandLine.EscapeQuoted(value)}\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(info)!;
        var printed = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(value, printed);
    }
}
