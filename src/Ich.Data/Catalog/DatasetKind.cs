using Ich.Core.Errors;

namespace Ich.Data.Catalog;

/// <summary>
/// The dataset layouts <see cref="DatasetCatalog"/> can open: a closed set of values (no other instance can be
/// made), each with the name configs, <c>--dataset KIND=PATH</c> and <see cref="Ich.Core.Scans.ScanRecord.Dataset"/>
/// use. A kind converts to its name implicitly, so it can be stored and compared where a name is kept
/// (scan records, feature stores, folds.csv).
/// </summary>
public sealed class DatasetKind
{
    private DatasetKind(string name) => Name = name;

    /// <summary>The spelling in configs and files, e.g. <c>physionet-nifti</c>.</summary>
    public string Name { get; }

    /// <summary>PhysioNet CT-ICH v1.0.0 JPG export (Patients_CT/NNN/{brain,bone}/S.jpg + hemorrhage_diagnosis.csv).</summary>
    public static readonly DatasetKind PhysioNet = new("physionet");

    /// <summary>PhysioNet CT-ICH v1.3.1 NIfTI layout (ct_scans/NNN.nii + hemorrhage_diagnosis_raw_ct.csv).</summary>
    public static readonly DatasetKind PhysioNetNifti = new("physionet-nifti");

    /// <summary>RSNA 2019: stage_2_train.csv (or a wide labels.csv) + folder of ID_*.dcm.</summary>
    public static readonly DatasetKind Rsna = new("rsna");

    /// <summary>CQ500: nested series folders + reads.csv (scan-level labels).</summary>
    public static readonly DatasetKind Cq500 = new("cq500");

    /// <summary>A NIfTI file or a folder of NIfTI files (one scan each), unlabelled.</summary>
    public static readonly DatasetKind Nifti = new("nifti");

    /// <summary>A folder of DICOM files (one scan per series), unlabelled.</summary>
    public static readonly DatasetKind Dicom = new("dicom");

    /// <summary>The project's own phantoms (<c>ich synth</c> output).</summary>
    public static readonly DatasetKind Phantom = new("phantom");

    public static readonly IReadOnlyList<DatasetKind> All = [PhysioNet, PhysioNetNifti, Rsna, Cq500, Nifti, Dicom, Phantom];

    /// <summary>The kind named <paramref name="text"/> (case and surrounding blanks ignored), or null.</summary>
    public static DatasetKind? Find(string? text)
    {
        var name = text?.Trim().ToLowerInvariant();
        return All.FirstOrDefault(k => k.Name == name);
    }

    /// <summary>The kind named <paramref name="text"/>; a <see cref="ConfigException"/> listing the known kinds when there is none.</summary>
    public static DatasetKind Parse(string text) =>
        Find(text) ?? throw new ConfigException($"unknown dataset kind '{text}' (known: {string.Join(", ", All)})");

    public override string ToString() => Name;

    public static implicit operator string(DatasetKind kind) => kind?.Name!;
}
