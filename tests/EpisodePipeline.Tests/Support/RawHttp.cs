using System.Net.Sockets;
using System.Text;

namespace EpisodePipeline.Tests.Support;

/// <summary>HTTP/1.1 bytes on a socket, for requests HttpClient will not send (broken chunked framing).</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> (with <c>Connection: close</c> in it) and returns the status code and body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri baseAddress, string request, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, deadline.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, deadline.Token);
        var text = Encoding.UTF8.GetString(response.ToArray());
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = bodyStart < 0 ? "" : text[(bodyStart + 4)..];
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (status, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (at < chunked.Length)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..end], 16);
            if (size == 0)
            {
                break;
            }

            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }

        return body.ToString();
    }
}
