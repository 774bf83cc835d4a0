using System.Globalization;
using System.Text;
using Ich.Application.Writers;
using Ich.Core;
using Ich.Metrics.Evaluation;
using Ich.Model.Folder;

namespace Ich.Application.TrainAll;

/// <summary>
/// Every stage's out-of-fold output, per dataset, as a stages file (<c>&lt;seq folder&gt;/stages_oof/&lt;dataset&gt;.csv</c>, the
/// layout of <c>ich predict --stages</c>): per system <c>cnn:&lt;system&gt;</c> (the mean of its backbones' stage-1 probabilities,
/// what the sequence stage read), <c>seq1:&lt;system&gt;</c> and <c>seq2:&lt;system&gt;</c>. Why: the ablation table pools the
/// datasets, and the phantoms outnumber the real patients; with these files <c>ich evaluate --stages</c> scores and pairs each
/// stage, or any mean of them (<c>--stage-mean</c>), on one dataset with its own label file and bootstrap intervals.
/// </summary>
public static class OofStageFiles
{
    public const string Folder = "stages_oof";

    /// <summary>Reads the sequence folder's out-of-fold files and writes the stages files; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string seqFolder)
    {
        var systems = ModelPackager.ReadTrained(seqFolder).Systems.Select(s => s.Name).ToList();
        return Write(seqFolder, OofEnsemble.ReadOutputs(seqFolder, systems), systems);
    }

    /// <summary>Writes one file per dataset, replacing the folder's earlier files; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string seqFolder, IReadOnlyList<OofSliceOutputs> slices, IReadOnlyList<string> systems) =>
        PerDatasetFiles.Write(Path.Combine(seqFolder, Folder), slices, s => s.Dataset, dataset =>
        {
            var ordered = dataset.OrderBy(s => s.ScanId, StringComparer.Ordinal).ThenBy(s => s.SliceIndex).ToList();
            var sb = new StringBuilder().AppendJoin(',', StageFile.Columns).Append('\n');
            foreach (var system in systems)
            {
                Append(sb, ordered, $"cnn:{system}", s => s.Cnn[system]);
                Append(sb, ordered, $"seq1:{system}", s => s.Outputs[new EnsembleMember(system, SequenceOutput.SeqModel1)]);
                Append(sb, ordered, $"seq2:{system}", s => s.Outputs[new EnsembleMember(system, SequenceOutput.SeqModel2)]);
            }
            return sb.ToString();
        });

    private static void Append(StringBuilder sb, IReadOnlyList<OofSliceOutputs> slices, string output, Func<OofSliceOutputs, double[]> probabilities)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var s in slices)
        {
            sb.Append(CsvOutputWriter.Csv(s.ScanId)).Append(',').Append(CsvOutputWriter.Csv(s.SliceId)).Append(',')
              .Append(s.SliceIndex.ToString(inv)).Append(',').Append(output);
            foreach (var p in probabilities(s)) sb.Append(',').Append(p.ToString("G6", inv));
            sb.Append('\n');
        }
    }
}
