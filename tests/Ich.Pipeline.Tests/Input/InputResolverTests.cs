using System.IO.Compression;
using Ich.Application.Prediction;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Inference.Input;
using Ich.Inference.Pipeline;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Input;

/// <summary>
/// Every verb resolves paths through one <see cref="InputResolver"/>, built on the one file walker
/// (FileEnumeration) and the DatasetCatalog adapters: a folder and its zip give the same scans, the zip is read
/// in place, the resolver lists the same files as training does, PhysioNet patients are the adapter's scans.
/// </summary>
public sealed class InputResolverTests : IDisposable
{
    private readonly string _temp = RepoPaths.NewTempDir("ich-resolve");

    public void Dispose() => Directory.Delete(_temp, true);

    private static string Sample => Path.Combine(RepoPaths.Root, "samples", "phantom-study");

    /// <summary>The sample study (DICOM scan folder plus labels.csv, scans.csv, README.md and masks) copied to <paramref name="name"/>.</summary>
    private string CopySample(string name)
    {
        var target = Path.Combine(_temp, name);
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    private static (IReadOnlyList<ScanInput> Inputs, List<string> Warnings) Resolve(params string[] paths)
    {
        var warnings = new List<string>();
        return (new InputResolver(new ActionLogger(warnings.Add)).Resolve(paths), warnings);
    }

    private static string[] SliceIds(ScanInput input) => input.Scan!.Slices.Select(s => s.SliceId).ToArray();

    [Fact]
    public void Resolve_FolderAndItsZip_SameScansWithZipEntriesReadInPlace()
    {
        var folder = CopySample("study");
        var zipDir = Directory.CreateDirectory(Path.Combine(_temp, "zipped")).FullName;
        var zip = Path.Combine(zipDir, "study.zip");
        ZipFile.CreateFromDirectory(folder, zip);

        var (fromFolder, folderWarnings) = Resolve(folder);
        var (fromZip, zipWarnings) = Resolve(zip);

        var scan = Assert.Single(fromFolder);
        var zipped = Assert.Single(fromZip);
        Assert.Null(scan.Error);
        Assert.Null(zipped.Error);
        Assert.Equal(scan.Scan!.ScanId, zipped.Scan!.ScanId);
        Assert.Equal(SliceIds(scan), SliceIds(zipped));
        Assert.Equal(scan.Dicom, zipped.Dicom);
        Assert.Equal(scan.SeriesDecision, zipped.SeriesDecision);
        Assert.Equal(scan.Scan.Slices.Select(s => s.ZMm), zipped.Scan.Slices.Select(s => s.ZMm));
        Assert.Empty(folderWarnings);
        Assert.Empty(zipWarnings);
        // In place: every slice of the zip scan is an entry of the archive, decoded from it, and nothing was unpacked.
        Assert.All(zipped.Scan.Slices, s => Assert.StartsWith(zip + "!", s.SourcePath));
        var middle = scan.Scan.Slices.Count / 2;
        Assert.Equal(scan.Scan.Slices[middle].LoadHu().Pixels, zipped.Scan.Slices[middle].LoadHu().Pixels);
        Assert.Equal(["study.zip"], Directory.GetFileSystemEntries(zipDir).Select(Path.GetFileName));
    }

    [Fact]
    public void Resolve_DicomFolderAndZip_SameSlicesAsTheTrainingAdapter()
    {
        var folder = CopySample("study");
        File.WriteAllText(Path.Combine(folder, "notes.log"), "scanner export log, not DICOM");
        File.WriteAllText(Path.Combine(folder, ".DS_Store"), "finder metadata, not DICOM");
        var zip = Path.Combine(_temp, "study.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        foreach (var path in new[] { folder, zip })
        {
            var (inputs, warnings) = Resolve(path);
            var training = DatasetCatalog.Open(DatasetKind.Dicom, path);
            Assert.Equal(training.Scans.Select(s => s.Slices.Select(x => x.SliceId).ToArray()), inputs.Select(SliceIds));
            // The walker skips companion and hidden files for both, so neither offers them to the DICOM reader.
            Assert.DoesNotContain(warnings, w => w.Contains("notes.log", StringComparison.Ordinal) || w.Contains(".DS_Store", StringComparison.Ordinal));
            foreach (var name in new[] { "notes.log", ".DS_Store" })
            {
                var issue = Assert.Single(training.Report.Skipped, i => i.Path!.EndsWith(name, StringComparison.Ordinal));
                Assert.StartsWith("not read as DICOM", issue.Reason, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Resolve_FolderWithSymlinkLoop_OneScanAndTheLoopReported()
    {
        var folder = CopySample("study");
        var scanFolder = Directory.GetDirectories(folder).Single(d => Path.GetFileName(d).StartsWith("phantom-", StringComparison.Ordinal));
        Directory.CreateSymbolicLink(Path.Combine(scanFolder, "again"), scanFolder);
        var expected = SliceIds(Assert.Single(Resolve(CopySample("plain")).Inputs));

        var (inputs, warnings) = Resolve(folder);

        Assert.Equal(expected, SliceIds(Assert.Single(inputs)));
        Assert.Contains(warnings, w => w.Contains("symlink loop", StringComparison.Ordinal) && w.Contains("again", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_NiftiInsideAZip_FailsSayingToUnzip_AndNothingIsExtracted()
    {
        var nifti = Path.Combine(RepoPaths.Fixtures, "data", "physionet-nifti", "ct_scans", "049.nii");
        var zipDir = Directory.CreateDirectory(Path.Combine(_temp, "zipped")).FullName;
        var zip = Path.Combine(zipDir, "volumes.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create)) archive.CreateEntryFromFile(nifti, "ct/049.nii");

        var (inputs, _) = Resolve(zip);

        var failed = Assert.Single(inputs);
        Assert.Null(failed.Scan);
        Assert.Equal($"{zip}!ct/049.nii", failed.Source);
        Assert.Contains("unzip", failed.Error, StringComparison.Ordinal);
        Assert.Equal(["volumes.zip"], Directory.GetFileSystemEntries(zipDir).Select(Path.GetFileName));
        // The same file on disk is a scan, built by the NIfTI adapter.
        var fromDisk = Assert.Single(Resolve(nifti).Inputs);
        Assert.Equal(DatasetKind.Nifti, fromDisk.Scan!.Dataset);
    }

    [SkippableFact]
    public void Resolve_PhysioNetPatientFolder_IsTheAdaptersScan()
    {
        var patient = RepoPaths.RequireShared("physionet-ctich/Patients_CT/049");
        var (inputs, _) = Resolve(patient);
        var resolved = Assert.Single(inputs).Scan!;
        var adapter = Assert.Single(DatasetCatalog.Open(DatasetKind.PhysioNet, patient).Scans);
        var labelled = DatasetCatalog.Open(DatasetKind.PhysioNet, Path.GetDirectoryName(Path.GetDirectoryName(patient))!).Scans.Single(s => s.ScanId == "049");

        Assert.Equal((DatasetKind.PhysioNet, "049", "049"), (resolved.Dataset, resolved.ScanId, resolved.PatientId));
        Assert.Equal(adapter.Slices.Select(s => (s.SliceId, s.ZMm)), resolved.Slices.Select(s => (s.SliceId, s.ZMm)));
        Assert.All(resolved.Slices, s => Assert.Null(s.Labels));
        // The unlabelled patient has the labelled scan's slices (every labelled slice with both images).
        Assert.Equal(labelled.Slices.Select(s => (s.SliceId, s.ZMm)), resolved.Slices.Select(s => (s.SliceId, s.ZMm)));
        var middle = resolved.Slices.Count / 2;
        Assert.Equal(labelled.Slices[middle].LoadHu().Pixels, resolved.Slices[middle].LoadHu().Pixels);
    }
}
