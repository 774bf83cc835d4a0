using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Cq500;
using Ich.Data.Dicom;
using Ich.Data.Nifti;
using Ich.Data.Phantom;
using Ich.Data.Rsna;
using Ich.Data.PhysioNet;

namespace Ich.Data.Catalog;

/// <summary>Options common to every adapter.</summary>
/// <param name="Labels">Label file overriding the adapter's default location (RSNA: stage_2_train.csv or labels.csv; CQ500: reads.csv).</param>
/// <param name="Dicom">Series-selection rules and HU options of the DICOM-based kinds.</param>
public sealed record DatasetOptions(string? Labels = null, DicomDatasetOptions? Dicom = null);

/// <summary>Scans of a dataset plus everything that was skipped or adjusted while indexing it.</summary>
public sealed record DatasetLoad(DatasetKind Kind, string Path, IReadOnlyList<ScanRecord> Scans, LoadReport Report)
{
    public int SliceCount => Scans.Sum(s => s.Slices.Count);
}

/// <summary>
/// The single entry point of training and evaluation configs:
/// <c>DatasetCatalog.Open("physionet", "/data/ct-ich")</c>. Kinds: see <see cref="DatasetKind"/>.
/// Opening indexes the dataset (label tables, file lists, headers); pixels are decoded on demand by
/// <see cref="SliceRecord.LoadHu"/>. Bad label files raise <see cref="DatasetFormatException"/> naming
/// file and line; bad or missing images are reported in <see cref="DatasetLoad.Report"/> and skipped.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>Opens a dataset whose kind is given by name (a config's <c>kind</c>); an unknown name is a <see cref="ConfigException"/>.</summary>
    public static DatasetLoad Open(string kind, string path, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Open(DatasetKind.Parse(kind), path, options);
    }

    public static DatasetLoad Open(DatasetKind kind, string path, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DatasetOptions();
        var report = new LoadReport();
        IReadOnlyList<ScanRecord> scans =
            kind == DatasetKind.PhysioNet ? PhysioNetJpgDataset.Open(path, report)
            : kind == DatasetKind.PhysioNetNifti ? PhysioNetNiftiDataset.Open(path, report)
            : kind == DatasetKind.Nifti ? NiftiDataset.Open(path, report)
            : kind == DatasetKind.Dicom ? DicomFolderDataset.Open(path, report, options.Dicom)
            : kind == DatasetKind.Rsna ? RsnaDicomDataset.Open(path, options.Labels, report, options.Dicom)
            : kind == DatasetKind.Cq500 ? Cq500Dataset.Open(path, options.Labels, report, options.Dicom)
            : kind == DatasetKind.Phantom ? PhantomDataset.Open(path, report, options.Dicom)
            : throw new InvalidOperationException($"dataset kind '{kind}' has no adapter");
        return new DatasetLoad(kind, path, scans, report);
    }
}
