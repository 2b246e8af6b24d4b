namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// How many tokens a text costs, without the model's tokenizer: about four characters per token
/// for English prose (BPE vocabularies of Llama 3, Qwen and Mistral), and a budget that only fills
/// <see cref="SafetyMargin"/> of what is left, because names, numbers and the <c>[mm:ss]</c> markers
/// tokenize worse than prose. Too small a part costs one more call; too large a part would be cut
/// by Ollama without a word, so the estimate errs on the small side.
/// </summary>
public static class TokenEstimate
{
    public const double CharsPerToken = 4;
    public const double SafetyMargin = 0.75;

    /// <summary>Most tokens any notes answer may take (<c>num_predict</c> of a map call).</summary>
    public const int NotesAnswerTokens = 1024;

    /// <summary>Most tokens the final answer may take (<c>num_predict</c> of the reduce call).</summary>
    public const int FinalAnswerTokens = 2048;

    public static int Of(string text) => (int)Math.Ceiling(text.Length / CharsPerToken);

    /// <summary>Tokens of material (transcript lines or notes) that fit beside <paramref name="instructions"/> and an answer.</summary>
    public static int Budget(int contextTokens, int answerTokens, string instructions) =>
        Math.Max(256, (int)((contextTokens - answerTokens - Of(instructions) - 64) * SafetyMargin));
}
