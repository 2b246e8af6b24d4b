namespace EpisodePipeline.Jobs;

/// <summary>A job could not be recorded, so none was scheduled; the message says what to fix.</summary>
public sealed class JobNotStartedException : Exception
{
    public JobNotStartedException()
    {
    }

    public JobNotStartedException(string message)
        : base(message)
    {
    }

    public JobNotStartedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
