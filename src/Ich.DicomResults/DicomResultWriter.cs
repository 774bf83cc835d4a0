using System.Globalization;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;
using Ich.DicomResults.Objects;

namespace Ich.DicomResults;

/// <summary>
/// Writes the DICOM result objects of one study as Part 10 files (Explicit VR Little Endian) under
/// <c>&lt;outputRoot&gt;/dicom/&lt;StudyInstanceUID&gt;/</c>: <c>sr.dcm</c> (Comprehensive SR, TID 1500),
/// <c>kos.dcm</c> (Key Object Selection of the key slices; only when a class is present) and
/// <c>sc-NNNN.dcm</c> (Secondary Captures, NNNN = 1-based source slice). Each object is in its own new series
/// of the source study. The folder is built beside the final one and swapped in, so a rerun replaces the
/// previous result set whole and a failure while writing leaves the previous set in place.
/// </summary>
public static class DicomResultWriter
{
    /// <summary>The folder of a study's results; the UID is validated before it names a path.</summary>
    public static string StudyFolder(string outputRoot, string studyInstanceUid)
    {
        // A valid UID is digits and dots with no empty component, so it cannot escape the dicom/ folder.
        if (!DicomUids.IsValid(studyInstanceUid))
            throw new Ich.Core.Errors.ResultInputException($"StudyInstanceUID '{studyInstanceUid}' is not a valid UID", outputRoot);
        return Path.Combine(outputRoot, "dicom", studyInstanceUid);
    }

    /// <summary>Validates <paramref name="input"/>, builds every object and writes the files.</summary>
    /// <remarks>Objects are written one at a time as they are built, so Full mode over hundreds of slices holds
    /// one capture in memory, not all of them.</remarks>
    /// <exception cref="Ich.Core.Errors.ResultInputException">a field of the input cannot make a valid object.</exception>
    public static DicomResultSet Write(StudyResultInput input, string outputRoot, CaptureMode mode = CaptureMode.Keys)
    {
        InputValidator.Validate(input, mode);
        var folder = StudyFolder(outputRoot, input.Study.StudyInstanceUid);
        var created = input.CreatedAt ?? DateTime.Now;
        var keySlices = input.KeySliceIndices();
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var staging = folder + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        var files = new List<ResultObjectFile>();
        try
        {
            void Save(string name, ResultObjectFile file, DicomDataset dataset)
            {
                DicomFileWriter.Write(Path.Combine(staging, name), dataset, TransferSyntaxes.ExplicitVRLittleEndian);
                files.Add(file with { Path = Path.Combine(folder, name) });
            }

            var sr = New(MeasurementReportBuilder.ComprehensiveSrStorage, input.SeriesNumberBase + 1, "SR", "ich hemorrhage report", created);
            Save("sr.dcm", File(ResultObjectKind.StructuredReport, sr), MeasurementReportBuilder.Build(input, sr));
            if (keySlices.Count > 0)
            {
                var kos = New(KeyObjectSelectionBuilder.KeyObjectSelectionStorage, input.SeriesNumberBase + 2, "KO", "ich key slices", created);
                Save("kos.dcm", File(ResultObjectKind.KeyObjectSelection, kos), KeyObjectSelectionBuilder.Build(input, kos, keySlices));
            }
            var captured = mode == CaptureMode.Full ? Enumerable.Range(0, input.Series.Instances.Count).ToArray() : keySlices;
            var seriesUid = DicomUids.NewRandom();
            var pictures = input.Slices.GroupBy(s => s.SliceIndex).ToDictionary(g => g.Key, g => g.First());
            foreach (var i in captured)
            {
                var sc = New(SecondaryCaptureBuilder.SecondaryCaptureImageStorage, input.SeriesNumberBase + 3, "OT",
                    "ich heat map NOT FOR DIAGNOSTIC USE", created, seriesUid, instanceNumber: i + 1);
                var name = "sc-" + (i + 1).ToString("D4", CultureInfo.InvariantCulture) + ".dcm";
                Save(name, File(ResultObjectKind.SecondaryCapture, sc, i), SecondaryCaptureBuilder.Build(input, sc, pictures[i]));
            }
            Swap(staging, folder);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
        return new DicomResultSet(input.Study.StudyInstanceUid, folder, files);
    }

    /// <summary>
    /// Replaces <paramref name="folder"/> by <paramref name="staging"/>: the previous set is moved aside first and
    /// restored if the move fails, so the folder always holds one complete set.
    /// </summary>
    private static void Swap(string staging, string folder)
    {
        string? previous = null;
        if (Directory.Exists(folder))
        {
            previous = folder + ".previous-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(folder, previous);
        }
        try
        {
            Directory.Move(staging, folder);
        }
        catch
        {
            if (previous is not null) Directory.Move(previous, folder);
            throw;
        }
        if (previous is not null) Directory.Delete(previous, recursive: true);
    }

    private static NewInstance New(string sopClass, int seriesNumber, string modality, string description, DateTime created,
        string? seriesUid = null, int instanceNumber = 1) =>
        new(sopClass, DicomUids.NewRandom(), seriesUid ?? DicomUids.NewRandom(), seriesNumber, instanceNumber, modality, description, created);

    private static ResultObjectFile File(ResultObjectKind kind, NewInstance i, int? slice = null) =>
        new(kind, "", i.SopClassUid, i.SopInstanceUid, i.SeriesInstanceUid, slice);
}
