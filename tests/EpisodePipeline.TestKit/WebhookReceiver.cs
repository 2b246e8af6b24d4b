using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.TestKit;

/// <summary>One request as the receiver saw it: the raw body (verify this, never a re-serialized copy) and the headers.</summary>
public sealed record ReceivedWebhook(string Body, IHeaderDictionary Headers, int Answer);

/// <summary>
/// A real webhook receiver: Kestrel on a loopback port that is chosen at construction, so a test can hand out
/// <see cref="Url"/> while the receiver is still down (connection refused) and start it later. Answers every
/// POST with the status <c>answer(n)</c> gives for the n-th request (default 200), after <see cref="AnswerDelay"/>;
/// a 3xx answer carries <see cref="RedirectTo"/> as its Location.
/// </summary>
public sealed class WebhookReceiver(Func<int, int>? answer = null) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Func<int, int> _answer = answer ?? (_ => StatusCodes.Status200OK);
    private WebApplication? _app;
    private int _requests;

    public int Port { get; } = FreePorts.Next();

    /// <summary>Where to POST; the same before and after <see cref="StartAsync"/>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/episodes");

    public string? RedirectTo { get; init; }

    public TimeSpan AnswerDelay { get; init; }

    /// <summary>Every request that reached the receiver, failed answers included, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Starts a receiver that is up at once.</summary>
    public static async Task<WebhookReceiver> StartNewAsync(Func<int, int>? answer = null)
    {
        var receiver = new WebhookReceiver(answer);
        await receiver.StartAsync();
        return receiver;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var status = _answer(Interlocked.Increment(ref _requests));
            _received.Enqueue(new ReceivedWebhook(body, new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), status));
            if (AnswerDelay > TimeSpan.Zero)
            {
                await Task.Delay(AnswerDelay, http.RequestAborted);
            }

            if (status is >= 300 and < 400 && RedirectTo is not null)
            {
                http.Response.Headers.Location = RedirectTo;
            }

            http.Response.StatusCode = status;
        });
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits until <paramref name="count"/> requests arrived; fails with what did arrive after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (_received.Count < count)
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The webhook receiver got {_received.Count} of {count} requests within {timeout.TotalSeconds:F0} s.");
            }
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
