using System.Globalization;

namespace EpisodePipeline.Benchmarks;

/// <summary>Figures measured side by side in one run, printed as a Markdown table for the README.</summary>
internal sealed class Report
{
    private readonly List<(string Figure, string Value, string Target, string Verdict)> _rows = [];

    public void Add(string figure, double value, string unit, string target = "", bool? met = null)
    {
        var text = value.ToString(value >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");
        _rows.Add((figure, text, target, met switch { true => "met", false => "missed", null => "" }));
        Console.WriteLine($"  {figure}: {text} {(target.Length > 0 ? $"(target {target})" : "")}");
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| figure | measured | target | |");
        output.WriteLine("|---|---|---|---|");
        foreach (var row in _rows)
        {
            output.WriteLine($"| {row.Figure} | {row.Value} | {row.Target} | {row.Verdict} |");
        }
    }
}
