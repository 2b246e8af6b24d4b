using System.Text.Json;
using EpisodePipeline.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// Asks the model until an answer passes validation: each rejected answer goes back to the model with
/// what was wrong with it. After the last attempt the stage fails with the last problems.
/// </summary>
internal static class ValidatedAnswers
{
    // A rejected answer is repeated to the model; a runaway one must not fill the context.
    private const int MaxEchoedChars = 4000;

    public delegate T? Validate<T>(string answer, List<string> problems);

    public static async Task<T> AskAsync<T>(
        IEnricher enricher,
        IReadOnlyList<ChatMessage> conversation,
        JsonElement schema,
        int maxOutputTokens,
        int attempts,
        Validate<T> validate,
        string what,
        string episodeId,
        ILogger logger,
        CancellationToken cancellationToken) where T : class
    {
        var messages = conversation;
        var problems = new List<string>();
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var answer = await enricher.AskJsonAsync(messages, schema, maxOutputTokens, cancellationToken);
            problems = [];
            if (validate(answer, problems) is { } valid)
            {
                return valid;
            }

            logger.AnswerRejected(episodeId, what, attempt, attempts, string.Join("; ", problems));
            var echoed = answer.Length > MaxEchoedChars ? answer[..MaxEchoedChars] + " …" : answer;
            messages = [.. conversation, new(ChatRole.Assistant, echoed), new(ChatRole.User, EnrichmentPrompts.Correction(problems))];
        }

        throw new EnrichmentFailedException(
            $"The model {enricher.Model} gave no valid {what} in {attempts} attempt(s); the last answer was rejected because {string.Join("; ", problems)}.");
    }
}
