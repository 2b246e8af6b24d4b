using EpisodePipeline.Logging;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Jobs;

/// <summary>A job a submit started or joined.</summary>
/// <param name="JobId">The orchestration instance id (a lower-case GUID).</param>
/// <param name="Existing">True when the episode already had this job queued or running.</param>
public sealed record JobTicket(string JobId, bool Existing);
