namespace EpisodePipeline.TestKit;

/// <summary>Waits with a deadline: a hung test or benchmark fails with what it last saw, it does not hang CI.</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds; throws <see cref="TimeoutException"/> with the last value after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what, int intervalMs = 50)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        using var deadline = new CancellationTokenSource(timeout);
        T last = default!;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                // A read that hangs (a host that stopped answering) counts against the same deadline.
                last = await read().WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }

            if (done(last))
            {
                return last;
            }

            try
            {
                await Task.Delay(intervalMs, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last value: {last}");
    }
}
