using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// What a command writes to and reads from: <see cref="Console"/> for people (tables, progress), <see cref="Output"/>
/// for <c>--json</c> (the API's JSON, nothing else), <see cref="Error"/> for what went wrong, the environment
/// (<c>EPISODEPIPELINE_URL</c>, <c>EPISODEPIPELINE_KEY</c>), and Ctrl+C as <see cref="Cancellation"/>.
/// </summary>
internal sealed record CliContext(
    IAnsiConsole Console, TextWriter Output, TextWriter Error, Func<string, string?> Environment, CancellationToken Cancellation);
