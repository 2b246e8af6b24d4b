namespace EpisodePipeline.Host.Client;

/// <summary>
/// A successful answer: the contract's record, the body exactly as the host sent it (what <c>--json</c> prints), and
/// the next page's URL when the answer is one page of several (the <c>Link: &lt;...&gt;; rel="next"</c> header, as
/// <c>GET /async/jobs</c> sends it).
/// </summary>
public sealed record ApiAnswer<T>(T Value, string Json, Uri? Next = null);
