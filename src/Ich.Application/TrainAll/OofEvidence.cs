using Ich.Core.Text;
using Ich.Data.Catalog;

namespace Ich.Application.TrainAll;

/// <summary>
/// The run's out-of-fold outputs shipped in the model folder (<c>oof/answer/&lt;dataset&gt;.csv</c>, and
/// <c>oof/stages/&lt;dataset&gt;.csv</c> for every dataset but the generated phantoms), so the card's cross-validated
/// figures can be scored again, and a later candidate compared with this model slice by slice, without the run folder
/// that made it (run folders are large and do not outlive their machine; the model folder is committed). The phantoms'
/// stages file is left out for its size: a row per stage of every slice, six per slice against the answer's one, and the
/// default's 300 phantoms hold about 18,000 slices.
/// </summary>
public static class OofEvidence
{
    /// <summary>The model folder's subfolder of these files.</summary>
    public const string Folder = "oof";

    /// <summary>Model-folder records (relative path → text) from the files <see cref="OofAnswerFiles"/> and <see cref="OofStageFiles"/> wrote.</summary>
    public static IReadOnlyDictionary<string, string> Records(IReadOnlyList<string> answerFiles, IReadOnlyList<string> stageFiles)
    {
        var records = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in answerFiles) records[$"{Folder}/answer/{Path.GetFileName(file)}"] = File.ReadAllText(file);
        var phantoms = SafePathSegment.From(DatasetKind.Phantom.Name) + ".csv";
        foreach (var file in stageFiles.Where(f => Path.GetFileName(f) != phantoms))
            records[$"{Folder}/stages/{Path.GetFileName(file)}"] = File.ReadAllText(file);
        return records;
    }
}
