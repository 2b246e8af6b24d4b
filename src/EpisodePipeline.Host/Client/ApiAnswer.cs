namespace EpisodePipeline.Host.Client;

/// <summary>A successful answer: the contract's record and the body exactly as the host sent it (what <c>--json</c> prints).</summary>
public sealed record ApiAnswer<T>(T Value, string Json);
