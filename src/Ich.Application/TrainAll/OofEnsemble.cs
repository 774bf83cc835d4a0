using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Metrics.Evaluation;

namespace Ich.Application.TrainAll;

/// <summary>One out-of-fold slice of the sequence stage, joined over systems.</summary>
/// <param name="Dataset">Dataset kind (physionet, phantom, ...).</param>
/// <param name="Cnn">Mean over systems of the stage-1 CNN probabilities, [6].</param>
/// <param name="Ensemble">Mean over systems of the SeqModel2 probabilities (the model's output), [6].</param>
public sealed record OofSlice(string Dataset, string PatientId, string ScanId, string SliceId, int SliceIndex,
    bool[] Labels, double[] Cnn, double[] Ensemble);

/// <summary>
/// Reads the sequence stage's <c>oof_&lt;system&gt;.csv</c> files and forms the ensemble out-of-fold
/// predictions exactly as <c>SeqRun</c> does (unweighted mean of the systems' SeqModel2 probabilities),
/// so metrics per dataset can be computed from the run's own outputs.
/// </summary>
public static class OofEnsemble
{
    public static IReadOnlyList<OofSlice> Read(string seqFolder, IReadOnlyList<string> systems)
    {
        if (systems.Count == 0) throw new ArgumentException("no systems", nameof(systems));
        var perSystem = systems.Select(s => ReadOne(Path.Combine(seqFolder, $"oof_{s}.csv"))).ToList();
        var first = perSystem[0];
        var result = new List<OofSlice>(first.Count);
        foreach (var (key, row) in first)
        {
            var cnn = new double[6];
            var ens = new double[6];
            foreach (var table in perSystem)
            {
                if (!table.TryGetValue(key, out var r))
                    throw new DatasetFormatException($"slice {key} is missing from one system's OOF file", seqFolder);
                for (var c = 0; c < 6; c++) { cnn[c] += r.Cnn[c] / perSystem.Count; ens[c] += r.Seq2[c] / perSystem.Count; }
            }
            result.Add(new OofSlice(row.Dataset, row.Patient, row.Scan, row.Slice, row.Index, row.Labels, cnn, ens));
        }
        return result;
    }

    /// <summary>Evaluation rows (clusters = scans) of one dataset's slices, from the ensemble or the CNN stage.</summary>
    public static List<EvaluationRow> Rows(IEnumerable<OofSlice> slices, bool cnnStage) =>
        slices.Select(s => new EvaluationRow($"{s.Dataset}/{s.ScanId}", s.SliceId, cnnStage ? s.Cnn : s.Ensemble, s.Labels)).ToList();

    private sealed record Row(string Dataset, string Patient, string Scan, string Slice, int Index, bool[] Labels, double[] Cnn, double[] Seq2);

    private static Dictionary<string, Row> ReadOne(string path)
    {
        var table = CsvTable.Read(path);
        int Col(string name) => table.Require(name);
        var (ds, pat, scan, slice, idx) = (Col("dataset"), Col("patient_id"), Col("scan_id"), Col("slice_id"), Col("slice_index"));
        var label = HemorrhageClasses.Names.Select(n => Col("label_" + n)).ToArray();
        var cnn = HemorrhageClasses.Names.Select(n => Col("cnn_" + n)).ToArray();
        var seq2 = HemorrhageClasses.Names.Select(n => Col("seq2_" + n)).ToArray();
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var r in table.Rows)
        {
            double D(int i) => double.Parse(r[i], CultureInfo.InvariantCulture);
            var key = $"{r[ds]}/{r[scan]}/{r[idx]}";
            rows[key] = new Row(r[ds], r[pat], r[scan], r[slice], int.Parse(r[idx], CultureInfo.InvariantCulture),
                label.Select(i => D(i) >= 0.5).ToArray(), cnn.Select(D).ToArray(), seq2.Select(D).ToArray());
        }
        return rows;
    }
}
