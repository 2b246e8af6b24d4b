using System.Net;
using System.Text;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// Requests a careless or hostile client sends: wrong methods, odd ids and queries, bodies that are not
/// process requests, wrong content types, broken framing. None of them may get a 5xx.
/// </summary>
public static class HostileRequests
{
    public sealed record Answer(string Request, int Status, string? ContentType, string Body);

    /// <summary>Sends every request to the host at <paramref name="http"/>'s base address; <paramref name="episodeId"/> is a known episode.</summary>
    public static async Task<IReadOnlyList<Answer>> SendAllAsync(HttpClient http, string episodeId)
    {
        var answers = new List<Answer>();
        foreach (var (method, path, body, contentType) in Cases(episodeId))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            using var response = await http.SendAsync(request);
            answers.Add(new Answer($"{method} {path} [{contentType}] {Preview(body)}", (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync()));
        }

        foreach (var (name, raw) in RawCases(episodeId, http.BaseAddress!))
        {
            var (status, body) = await RawHttp.SendAsync(http.BaseAddress!, raw);
            answers.Add(new Answer(name, status, body.Length > 0 ? "application/problem+json?" : null, body));
        }

        return answers;
    }

    private static IEnumerable<(string Method, string Path, byte[]? Body, string? ContentType)> Cases(string episodeId)
    {
        var process = $"/async/episodes/{episodeId}/process";
        string[] routes = ["/health", "/episodes/discover", "/episodes", $"/episodes/{episodeId}", process, "/async/jobs", $"/async/jobs/{Guid.NewGuid()}", $"/async/jobs/{Guid.NewGuid()}/retry", "/async/stats", "/async/batches"];
        foreach (var route in routes)
        {
            foreach (var method in new[] { "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" })
            {
                yield return (method, route, null, null);
            }
        }

        string[] paths =
        [
            "/episodes/%00", "/episodes/" + new string('a', 4000), "/episodes/..%2F..%2Fetc%2Fpasswd", "/episodes/%2e%2e", "/episodes/%FF%FE",
            "/episodes/CON", "/episodes/a%20b", "/async/jobs/%7B%7D", $"/async/jobs/{{{Guid.NewGuid().ToString().ToUpperInvariant()}}}",
            "/async/jobs/00000000-0000-0000-0000-000000000000", $"/async/jobs/{Guid.NewGuid():N}", "/async/jobs/" + new string('f', 3000),
            "/async/jobs?limit=-1", "/async/jobs?limit=99999999999999999999", "/async/jobs?limit=1e3", "/async/jobs?limit=%20", "/async/jobs?limit=+5",
            "/async/jobs?status=", "/async/jobs?status=%00", "/async/jobs?status=COMPLETED", "/async/jobs?episode_id=%FF", "/async/jobs?limit=1&limit=2",
            "/async/jobs?episode_id=" + new string('x', 3000), "/async/stats?x=%00",
            "/async/jobs?cursor=", "/async/jobs?cursor=%00", "/async/jobs?cursor=" + new string('A', 3000), "/async/jobs?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5fHg",
            "/async/jobs?cursor=LTF8eA", "/async/jobs?cursor=fHg", "/async/jobs?cursor=MXw", "/async/jobs/?", "/async//jobs", "/nothing-here", "/episodes/discover/",
        ];
        foreach (var path in paths)
        {
            yield return ("GET", path, null, null);
        }

        yield return ("POST", "/episodes/discover?code=%00", Encoding.UTF8.GetBytes("{\"unexpected\":true}"), "application/json");

        // Job control: odd ids to cancel and retry, odd instants to purge before.
        string[] jobIds =
        [
            "%00", "%7B%7D", $"%7B{Guid.NewGuid().ToString().ToUpperInvariant()}%7D", "00000000-0000-0000-0000-000000000000", $"{Guid.NewGuid():N}",
            new string('f', 3000), "..%2F..%2Fetc", "%FF%FE",
        ];
        foreach (var id in jobIds)
        {
            yield return ("DELETE", $"/async/jobs/{id}", null, null);
            yield return ("POST", $"/async/jobs/{id}/retry", Encoding.UTF8.GetBytes("{\"force_reprocess\":true}"), "application/json");
        }

        string[] instants =
        [
            "", "%00", "now", "0001-01-01", "1601-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00%2B14:00", "2026-02-30", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.12345678Z", "2026-01-01&before=2027-01-01",
            "%2B2026-01-01", new string('9', 3000),
        ];
        foreach (var instant in instants)
        {
            yield return ("DELETE", $"/async/jobs?before={instant}", null, null);
        }

        string[] bodies =
        [
            "null", "[]", "\"text\"", "123", "true", "{}x", "{", "}", "{\"target_stage\":null}", "{\"target_stage\":123}", "{\"target_stage\":[\"transcribed\"]}",
            "{\"target_stage\":\"TRANSCRIBED\"}", "{\"target_stage\":\"transcribed\\u0000\"}", "{\"audio_track\":1e100}", "{\"audio_track\":\"0\"}", "{\"audio_track\":-2147483648}",
            "{\"audio_track\":2147483648}", "{\"audio_track\":0.5}", "{\"force_reprocess\":null,\"target_stage\":\"enriched\"}", "{\"force_reprocess\":1}",
            "{\"episode_id\":\"\\u0000\"}", "{\"episode_id\":null,\"target_stage\":\"rendered\"}", "{\"episode_id\":123}", "{\"webhook_url\":\"file:///etc/passwd\"}",
            "{\"webhook_url\":\"javascript:alert(1)\"}", "{\"webhook_url\":\"http://[::1\"}", "{\"target_stage\":\"transcribed\",\"target_stage\":\"nope\"}",
            "/* comment */ {}", "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}", "{\"note\":\"" + new string('x', 15_000) + "\"}",
            "{\"note\":\"" + new string('x', 17_000) + "\"}", "   ", "\t\r\n", "{\"target_stage\":\"transcribed\"}" + new string(' ', 20_000),
            "{\"\uD800\":1}", "{\"target_stage\":\"\u00e9\u00e8\"}", "{\"target_stage\":\"" + new string('t', 10_000) + "\"}",
        ];
        foreach (var body in bodies)
        {
            yield return ("POST", process, Encoding.UTF8.GetBytes(body), "application/json");
        }

        byte[][] rawBodies = [[0xFF, 0xFE, 0x7B, 0x7D], [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x7B, 0x7D], [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], [0x00, 0x00, 0x00]];
        foreach (var body in rawBodies)
        {
            yield return ("POST", process, body, "application/json");
        }

        string?[] contentTypes =
        [
            null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
            "garbage;;;", "application/", "*/*", "application/json; charset=\"", "text/json",
        ];
        foreach (var contentType in contentTypes)
        {
            yield return ("POST", process, Encoding.UTF8.GetBytes("{\"target_stage\":\"enriched\"}"), contentType);
        }

        // Only bodies a batch start refuses: an accepted one would start a batch that processes every episode.
        string[] batchBodies =
        [
            "[]", "\"text\"", "{}x", "{", "{\"target_stage\":123}", "{\"target_stage\":\"TRANSCRIBED\"}", "{\"target_stage\":\"discovered\"}",
            "{\"target_stage\":\"transcribed\u0000\"}", "{\"webhook_url\":\"file:///etc/passwd\"}", "{\"webhook_url\":\"http://[::1\"}",
            "{\"webhook_url\":\"http://n8n.local/hook\"}", "{\"webhook_url\":123}", "{\"note\":\"" + new string('x', 17_000) + "\"}",
        ];
        foreach (var body in batchBodies)
        {
            yield return ("POST", "/async/batches", Encoding.UTF8.GetBytes(body), "application/json");
        }

        yield return ("POST", "/async/batches", Encoding.UTF8.GetBytes("{\"target_stage\":\"transcribed\"}"), "text/plain");

        foreach (var id in new[] { "%00", new string('a', 4000), "no-such-episode", "..%2F..", $"{episodeId}%2F..%2F{episodeId}", "%FF", "UPPER" })
        {
            yield return ("POST", $"/async/episodes/{id}/process", Encoding.UTF8.GetBytes("{\"target_stage\":\"transcribed\"}"), "application/json");
        }
    }

    private static IEnumerable<(string Name, string Raw)> RawCases(string episodeId, Uri baseAddress)
    {
        var head = $"POST /async/episodes/{episodeId}/process HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nConnection: close\r\n";
        yield return ("chunk size not hex", head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");
        yield return ("chunk longer than said", head + "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"target_stage\":1}\r\n0\r\n\r\n");
        yield return ("chunked over the limit", head + "Transfer-Encoding: chunked\r\n\r\n" + string.Concat(Enumerable.Repeat("400\r\n" + new string(' ', 1024) + "\r\n", 20)) + "0\r\n\r\n");
        yield return ("chunk extension garbage", head + "Transfer-Encoding: chunked\r\n\r\n2;\u0001\r\n{}\r\n0\r\n\r\n");
        yield return ("content-length and chunked", head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        yield return ("content-length not a number", head + "Content-Length: two\r\n\r\n{}");
    }

    private static string Preview(byte[]? body) =>
        body is null ? "" : body.Length > 40 ? $"{body.Length} bytes" : Encoding.UTF8.GetString(body);
}
