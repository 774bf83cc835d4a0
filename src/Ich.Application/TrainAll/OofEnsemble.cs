using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Metrics.Evaluation;
using Ich.Model.Folder;

namespace Ich.Application.TrainAll;

/// <summary>One out-of-fold slice of the sequence stage, joined over systems, with every output the ensemble may average.</summary>
/// <param name="Dataset">Dataset kind (physionet, phantom, ...).</param>
/// <param name="SeqFold">The sequence fold whose models predicted the slice (it was in their validation fold).</param>
/// <param name="Cnn">Per system, the stage-1 CNN probabilities it was trained on (mean over its backbones), [6] each.</param>
/// <param name="Outputs">Each system's SeqModel1 and SeqModel2 probabilities, [6] each.</param>
public sealed record OofSliceOutputs(string Dataset, string PatientId, string ScanId, string SliceId, int SliceIndex, int SeqFold,
    bool[] Labels, IReadOnlyDictionary<string, double[]> Cnn, IReadOnlyDictionary<EnsembleMember, double[]> Outputs);

/// <summary>One out-of-fold slice with the ensemble's probabilities.</summary>
/// <param name="Cnn">The CNN stage of the systems the ensemble uses (mean of their stage-1 probabilities), [6].</param>
/// <param name="Ensemble">The model's output: mean of the ensemble members chosen for the slice's sequence fold, [6].</param>
public sealed record OofSlice(string Dataset, string PatientId, string ScanId, string SliceId, int SliceIndex,
    bool[] Labels, double[] Cnn, double[] Ensemble);

/// <summary>
/// Reads the sequence stage's <c>oof_&lt;system&gt;.csv</c> files and forms the ensemble's out-of-fold predictions (unweighted mean
/// of the members an <see cref="EnsembleChoice"/> names for each slice's sequence fold), so metrics per dataset can be computed
/// from the run's own outputs.
/// </summary>
public static class OofEnsemble
{
    /// <summary>Every system's outputs per slice, in the first system's row order.</summary>
    public static IReadOnlyList<OofSliceOutputs> ReadOutputs(string seqFolder, IReadOnlyList<string> systems)
    {
        if (systems.Count == 0) throw new ArgumentException("no systems", nameof(systems));
        var perSystem = systems.Select(s => ReadOne(Path.Combine(seqFolder, $"oof_{s}.csv"))).ToList();
        var result = new List<OofSliceOutputs>(perSystem[0].Count);
        foreach (var (key, row) in perSystem[0])
        {
            var cnn = new Dictionary<string, double[]>();
            var outputs = new Dictionary<EnsembleMember, double[]>();
            for (var s = 0; s < systems.Count; s++)
            {
                if (!perSystem[s].TryGetValue(key, out var r))
                    throw new DatasetFormatException($"slice {key} is missing from system {systems[s]}'s OOF file", seqFolder);
                if (r.Fold != row.Fold)
                    throw new DatasetFormatException($"slice {key} is in sequence fold {r.Fold} for system {systems[s]} but {row.Fold} for {systems[0]}", seqFolder);
                cnn[systems[s]] = r.Cnn;
                outputs[new EnsembleMember(systems[s], SequenceOutput.SeqModel1)] = r.Seq1;
                outputs[new EnsembleMember(systems[s], SequenceOutput.SeqModel2)] = r.Seq2;
            }
            result.Add(new OofSliceOutputs(row.Dataset, row.Patient, row.Scan, row.Slice, row.Index, row.Fold, row.Labels, cnn, outputs));
        }
        return result;
    }

    /// <summary>The ensemble's out-of-fold slices: each slice averages the members chosen for its sequence fold.</summary>
    public static IReadOnlyList<OofSlice> Combine(IReadOnlyList<OofSliceOutputs> slices, EnsembleChoice choice) =>
        slices.Select(s =>
        {
            var members = choice.ForFold(s.SeqFold);
            var systems = members.Select(m => m.System).Distinct().ToList();
            var cnn = new double[HemorrhageClasses.Count];
            foreach (var system in systems)
                for (var c = 0; c < cnn.Length; c++) cnn[c] += s.Cnn[system][c] / systems.Count;
            return new OofSlice(s.Dataset, s.PatientId, s.ScanId, s.SliceId, s.SliceIndex, s.Labels, cnn, Mean(s, members));
        }).ToList();

    /// <summary>The unweighted mean of <paramref name="members"/>' probabilities for one slice.</summary>
    public static double[] Mean(OofSliceOutputs slice, IReadOnlyList<EnsembleMember> members)
    {
        var mean = new double[HemorrhageClasses.Count];
        foreach (var m in members)
        {
            if (!slice.Outputs.TryGetValue(m, out var p)) throw new ArgumentException($"the OOF files hold no output {m}");
            for (var c = 0; c < mean.Length; c++) mean[c] += p[c] / members.Count;
        }
        return mean;
    }

    /// <summary>Evaluation rows (clusters = scans) of one dataset's slices, from the ensemble or the CNN stage.</summary>
    public static List<EvaluationRow> Rows(IEnumerable<OofSlice> slices, bool cnnStage) =>
        slices.Select(s => new EvaluationRow($"{s.Dataset}/{s.ScanId}", s.SliceId, cnnStage ? s.Cnn : s.Ensemble, s.Labels)).ToList();

    private sealed record Row(string Dataset, string Patient, string Scan, string Slice, int Index, int Fold, bool[] Labels,
        double[] Cnn, double[] Seq1, double[] Seq2);

    private static Dictionary<string, Row> ReadOne(string path)
    {
        var table = CsvTable.Read(path);
        int Col(string name) => table.Require(name);
        var (ds, pat, scan, slice, idx, fold) = (Col("dataset"), Col("patient_id"), Col("scan_id"), Col("slice_id"), Col("slice_index"), Col("seq_fold"));
        int[] Cols(string prefix) => HemorrhageClasses.Names.Select(n => Col(prefix + n)).ToArray();
        var (label, cnn, seq1, seq2) = (Cols("label_"), Cols("cnn_"), Cols("seq1_"), Cols("seq2_"));
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var r in table.Rows)
        {
            double D(int i) => double.Parse(r[i], CultureInfo.InvariantCulture);
            var key = $"{r[ds]}/{r[scan]}/{r[idx]}";
            rows[key] = new Row(r[ds], r[pat], r[scan], r[slice], int.Parse(r[idx], CultureInfo.InvariantCulture),
                int.Parse(r[fold], CultureInfo.InvariantCulture), label.Select(i => D(i) >= 0.5).ToArray(),
                cnn.Select(D).ToArray(), seq1.Select(D).ToArray(), seq2.Select(D).ToArray());
        }
        return rows;
    }
}
