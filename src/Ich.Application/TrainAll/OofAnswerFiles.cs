using System.Globalization;
using System.Text;
using Ich.Application.Writers;
using Ich.Core;

namespace Ich.Application.TrainAll;

/// <summary>
/// The model's answer out of fold — each slice's mean of the ensemble members chosen for its sequence fold, the numbers
/// the card and the operating points are computed from — as one predictions file per dataset,
/// <c>&lt;seq folder&gt;/answer_oof/&lt;dataset&gt;.csv</c> (the layout of <c>ich predict</c>'s predictions.csv, z_mm empty).
/// Why: so the card's out-of-fold figures, and a paired comparison of two runs, are one <c>ich evaluate</c> away, scored with
/// the dataset's own label file (PhysioNet: scan_id = patient, slice_id = slice number; phantoms: slice_id = SOP UID).
/// </summary>
public static class OofAnswerFiles
{
    public const string Folder = "answer_oof";

    /// <summary>Writes one file per dataset, replacing the folder's earlier files (a dataset no longer in the run leaves none behind); returns their paths.</summary>
    public static IReadOnlyList<string> Write(string seqFolder, IReadOnlyList<OofSlice> slices) =>
        PerDatasetFiles.Write(Path.Combine(seqFolder, Folder), slices, s => s.Dataset, dataset =>
        {
            var inv = CultureInfo.InvariantCulture;
            var sb = new StringBuilder("scan_id,slice_id,slice_index,z_mm,").AppendJoin(',', HemorrhageClasses.Names).Append('\n');
            foreach (var s in dataset.OrderBy(s => s.ScanId, StringComparer.Ordinal).ThenBy(s => s.SliceIndex))
            {
                sb.Append(CsvOutputWriter.Csv(s.ScanId)).Append(',').Append(CsvOutputWriter.Csv(s.SliceId)).Append(',')
                  .Append(s.SliceIndex.ToString(inv)).Append(',');
                foreach (var p in s.Ensemble) sb.Append(',').Append(p.ToString("G6", inv));
                sb.Append('\n');
            }
            return sb.ToString();
        });
}
