using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EpisodePipeline.Host.Options;

public enum DurableBackend
{
    /// <summary>Fast, nothing survives a restart.</summary>
    InMemory,

    /// <summary>Azure Storage (Azurite or a real account): jobs survive a restart or a crash.</summary>
    AzureStorage,
}
