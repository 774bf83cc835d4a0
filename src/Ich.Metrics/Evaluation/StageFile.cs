using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Evaluation;

/// <summary>
/// The intermediate outputs of one prediction run, read from <c>stages.csv</c> (<c>ich predict --stages</c>), each as the
/// rows of a predictions file: <c>cnn:&lt;backbone&gt;</c>, <c>seq1:&lt;system&gt;</c>, <c>seq2:&lt;system&gt;</c>. Every output
/// covers the same slices (checked when read), so any output, or the mean of several, can be scored and paired like a
/// predictions.csv — what a stage adds, or what another ensemble would score, on data the model never saw.
/// </summary>
public sealed class StageFile
{
    public static readonly IReadOnlyList<string> Columns =
        ["scan_id", "slice_id", "slice_index", "output", .. HemorrhageClasses.Names];

    /// <summary>Joins the outputs of a mean in <see cref="ParseMean"/>'s notation.</summary>
    public const char MeanSeparator = '+';

    private readonly Dictionary<string, List<PredictionRow>> byOutput;

    private StageFile(string path, List<string> outputs, Dictionary<string, List<PredictionRow>> byOutput)
    {
        Path = path;
        Outputs = outputs;
        this.byOutput = byOutput;
    }

    public string Path { get; }

    /// <summary>The output labels in the order they first appear in the file.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>One output's rows, in file order (z_mm is unknown: stages.csv does not carry it).</summary>
    public IReadOnlyList<PredictionRow> Rows(string output) =>
        byOutput.TryGetValue(output, out var rows) ? rows
            : throw new ConfigException($"no output '{output}' in this stages file; it holds {string.Join(", ", Outputs)}", Path);

    /// <summary>
    /// The unweighted mean of <paramref name="outputs"/>' probabilities per slice (the way <c>model.json</c>'s ensemble
    /// averages its members), in the first output's row order.
    /// </summary>
    public IReadOnlyList<PredictionRow> Mean(IReadOnlyList<string> outputs)
    {
        if (outputs.Count == 0) throw new ConfigException("a mean needs at least one output", Path);
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Count)
            throw new ConfigException($"a mean lists an output twice: {string.Join(MeanSeparator, outputs)}", Path);
        var members = outputs.Select(o => Rows(o).ToDictionary(r => (r.ScanId, r.SliceId))).ToList();
        return Rows(outputs[0]).Select(first =>
        {
            var mean = new double[HemorrhageClasses.Count];
            foreach (var member in members)
            {
                var p = member[(first.ScanId, first.SliceId)].Probabilities; // present: every output covers the same slices
                for (var c = 0; c < mean.Length; c++) mean[c] += p[c] / members.Count;
            }
            return first with { Probabilities = mean };
        }).ToList();
    }

    /// <summary>The outputs of a mean written <c>seq1:r18in160+seq2:r18in160</c>.</summary>
    public static IReadOnlyList<string> ParseMean(string text)
    {
        var parts = text.Split(MeanSeparator).Select(p => p.Trim()).ToList();
        if (parts.Count == 0 || parts.Any(p => p.Length == 0))
            throw new ConfigException($"--stage-mean '{text}': expected outputs joined by '{MeanSeparator}', e.g. seq1:a{MeanSeparator}seq2:a");
        if (parts.Distinct(StringComparer.Ordinal).Count() != parts.Count)
            throw new ConfigException($"--stage-mean '{text}' lists an output twice");
        return parts;
    }

    /// <summary>The display name of a mean, e.g. <c>mean(seq1:a+seq2:a)</c>.</summary>
    public static string MeanName(IReadOnlyList<string> outputs) => $"mean({string.Join(MeanSeparator, outputs)})";

    /// <summary>Reads and checks a stages file; every bad row is a <see cref="DatasetFormatException"/> with the file and line.</summary>
    public static StageFile Read(string path)
    {
        var table = CsvTable.Read(path);
        var missing = Columns.Where(c => table.IndexOf(c) < 0).ToArray();
        if (missing.Length > 0)
            throw new DatasetFormatException(
                $"not a stages file (ich predict --stages): missing column(s) {string.Join(", ", missing)} (header: {string.Join(",", table.Header)})", path, 1);
        var (scan, slice, index, output) = (table.IndexOf("scan_id"), table.IndexOf("slice_id"), table.IndexOf("slice_index"), table.IndexOf("output"));
        var classColumns = HemorrhageClasses.Names.Select(table.IndexOf).ToArray();

        var outputs = new List<string>();
        var byOutput = new Dictionary<string, List<PredictionRow>>(StringComparer.Ordinal);
        var seen = new Dictionary<(string, string, string), int>();
        foreach (var row in table.Rows)
        {
            var (scanId, sliceId) = PredictionFile.Ids(row, scan, slice, path);
            var label = row[output].Trim();
            if (label.Length == 0) throw new DatasetFormatException("empty output", path, row.Line);
            if (!seen.TryAdd((scanId, sliceId, label), row.Line))
                throw new DatasetFormatException(
                    $"duplicate row for scan '{scanId}' slice '{sliceId}' output '{label}' (first on line {seen[(scanId, sliceId, label)]})", path, row.Line);
            var (sliceIndex, probabilities) = PredictionFile.IndexAndProbabilities(row, index, classColumns, path);
            if (!byOutput.TryGetValue(label, out var rows))
            {
                byOutput[label] = rows = [];
                outputs.Add(label);
            }
            rows.Add(new PredictionRow(scanId, sliceId, sliceIndex, double.NaN, probabilities, row.Line));
        }
        if (outputs.Count == 0) throw new DatasetFormatException("no rows", path, 2);
        CheckSameSlices(path, outputs, byOutput);
        return new StageFile(path, outputs, byOutput);
    }

    /// <summary>A slice one output has and another lacks would make their scores incomparable: refused, naming both.</summary>
    private static void CheckSameSlices(string path, List<string> outputs, Dictionary<string, List<PredictionRow>> byOutput)
    {
        var first = byOutput[outputs[0]].Select(r => (r.ScanId, r.SliceId)).ToHashSet();
        foreach (var o in outputs.Skip(1))
        {
            var these = byOutput[o].Select(r => (r.ScanId, r.SliceId)).ToHashSet();
            var (extra, lacking) = (these.Except(first).FirstOrDefault(), first.Except(these).FirstOrDefault());
            if (extra != default)
                throw new DatasetFormatException($"output '{o}' has scan '{extra.ScanId}' slice '{extra.SliceId}', which '{outputs[0]}' lacks: every output must cover the same slices", path);
            if (lacking != default)
                throw new DatasetFormatException($"output '{o}' lacks scan '{lacking.ScanId}' slice '{lacking.SliceId}', which '{outputs[0]}' has: every output must cover the same slices", path);
        }
    }
}
