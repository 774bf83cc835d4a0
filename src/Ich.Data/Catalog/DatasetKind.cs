namespace Ich.Data.Catalog;

/// <summary>The dataset layouts <see cref="DatasetCatalog"/> can open.</summary>
public static class DatasetKind
{
    /// <summary>PhysioNet CT-ICH v1.0.0 JPG export (Patients_CT/NNN/{brain,bone}/S.jpg + hemorrhage_diagnosis.csv).</summary>
    public const string PhysioNet = "physionet";

    /// <summary>PhysioNet CT-ICH v1.3.1 NIfTI layout (ct_scans/NNN.nii + hemorrhage_diagnosis_raw_ct.csv).</summary>
    public const string PhysioNetNifti = "physionet-nifti";

    /// <summary>RSNA 2019: stage_2_train.csv (or a wide labels.csv) + folder of ID_*.dcm.</summary>
    public const string Rsna = "rsna";

    /// <summary>CQ500: nested series folders + reads.csv (scan-level labels).</summary>
    public const string Cq500 = "cq500";

    /// <summary>A NIfTI file or a folder of NIfTI files (one scan each), unlabelled.</summary>
    public const string Nifti = "nifti";

    /// <summary>A folder of DICOM files (one scan per series), unlabelled.</summary>
    public const string Dicom = "dicom";

    /// <summary>The project's own phantoms (<c>ich synth</c> output).</summary>
    public const string Phantom = "phantom";

    public static readonly IReadOnlyList<string> All = [PhysioNet, PhysioNetNifti, Rsna, Cq500, Nifti, Dicom, Phantom];
}
