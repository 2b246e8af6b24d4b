using System.Globalization;
using System.Text;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// The transcript as a sequence of normalised words (lower case, letters and digits only), each with
/// the time it is spoken, estimated by spreading its segment's time evenly over the segment's words.
/// Quotes are looked up in it, so a quote may differ from the transcript in case and punctuation.
/// </summary>
public sealed class TranscriptWords
{
    private readonly List<(string Word, double Start, double End)> _words = [];

    public TranscriptWords(IEnumerable<TranscriptSegment> segments)
    {
        foreach (var segment in segments)
        {
            var words = Normalise(segment.Text);
            var length = Math.Max(0, segment.End - segment.Start);
            for (var i = 0; i < words.Count; i++)
            {
                _words.Add((words[i], segment.Start + (length * i / words.Count), segment.Start + (length * (i + 1) / words.Count)));
            }
        }
    }

    public int Count => _words.Count;

    public string this[int index] => _words[index].Word;

    public double StartOf(int index) => _words[index].Start;

    public double EndOf(int index) => _words[index].End;

    public static List<string> Normalise(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (c is '\'' or '’')
            {
                // "don't" and "dont" are the same word.
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
