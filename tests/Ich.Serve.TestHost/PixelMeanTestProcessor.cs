using System.Globalization;
using System.Net;
using System.Text;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.Serve.Work;

namespace Ich.Serve.TestHost;

/// <summary>
/// TEST DOUBLE for <see cref="IStudyProcessor"/> — not a model. It reads every stored instance in full
/// (so a test proves the instances arrived intact) and derives deterministic "probabilities" a test can
/// compute by hand from the pixels it sent: for each slice p = mean stored pixel value / 4096, "any" = p
/// and every subtype = p / 2. Slices are ordered by Instance Number. A class is flagged at >= 0.5.
/// Behaviour switches, all for tests: ICH_TEST_PROCESSOR_DELAY_MS (sleep before returning, to kill a worker
/// mid-study), ICH_TEST_PROCESSOR_LOG (append "STUDY INSTANCES PID" per finished run, to find duplicates),
/// accession number "FAIL-ALWAYS" (raise a typed error, to test --max-attempts).
/// </summary>
public sealed class PixelMeanTestProcessor : IStudyProcessor
{
    public const string FailingAccession = "FAIL-ALWAYS";
    private static readonly Lock LogLock = new();

    public string ModelVersion => "pixel-mean-test-double 1";

    public async Task<StudyResult> ProcessAsync(StudyWorkItem item, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(item);
        var slices = new List<(int Number, string Sop, double P, string Path)>();
        foreach (var path in Directory.EnumerateFiles(item.InstanceFolder, "*.dcm", SearchOption.AllDirectories))
        {
            var file = DicomFileReader.Read(path);
            if (file.Dataset.GetString(DicomTags.AccessionNumber) == FailingAccession)
                throw new ModelInputException("test double refuses accession FAIL-ALWAYS", path);
            var pixels = DicomPixelData.Create(file).GetStoredFrame(0);
            var mean = pixels.Select(v => (double)v).Average();
            slices.Add((file.Dataset.GetInt(DicomTags.InstanceNumber) ?? 0, file.Dataset.GetString(DicomTags.SOPInstanceUID)!, Math.Clamp(mean / 4096, 0, 1), path));
        }
        if (slices.Count == 0) throw new ModelInputException("no instances", item.InstanceFolder);
        if (Environment.GetEnvironmentVariable("ICH_TEST_PROCESSOR_DELAY_MS") is { } delay)
            await Task.Delay(int.Parse(delay, CultureInfo.InvariantCulture), cancel).ConfigureAwait(false);

        slices.Sort((a, b) => a.Number != b.Number ? a.Number.CompareTo(b.Number) : string.CompareOrdinal(a.Sop, b.Sop));
        var perSlice = slices.Select((s, i) => new SliceProbabilities(i, s.Sop,
            HemorrhageClasses.Names.ToDictionary(c => c, c => c == "any" ? s.P : s.P / 2))).ToList();
        var max = HemorrhageClasses.Names.ToDictionary(c => c, c => perSlice.Max(s => s.Probabilities[c]));
        var flagged = HemorrhageClasses.Names.Where(c => max[c] >= 0.5).ToList();

        var report = new StringBuilder("<!doctype html><meta charset=utf-8><title>test double report</title><h1>Test double report</h1><ol>");
        foreach (var s in perSlice)
            report.Append(CultureInfo.InvariantCulture, $"<li id=\"slice-{s.Index}\">{WebUtility.HtmlEncode(s.SopInstanceUid)}: {s.Probabilities["any"]:F4}</li>");
        report.Append("</ol>");
        await File.WriteAllTextAsync(Path.Combine(item.WorkFolder, "report.html"), report.ToString(), cancel).ConfigureAwait(false);
        // Stands in for the SR/KOS/SC writers: a copy of the first slice, so /dicom has a Part 10 file to serve.
        Directory.CreateDirectory(Path.Combine(item.WorkFolder, "dicom"));
        File.Copy(slices[0].Path, Path.Combine(item.WorkFolder, "dicom", "first-slice-copy.dcm"));

        if (Environment.GetEnvironmentVariable("ICH_TEST_PROCESSOR_LOG") is { Length: > 0 } log)
            lock (LogLock)
                File.AppendAllText(log, $"{item.StudyInstanceUid} {slices.Count} {Environment.ProcessId}\n");
        return new StudyResult(ModelVersion, max, flagged, flagged.Count > 0, perSlice, "report.html", ["dicom/first-slice-copy.dcm"]);
    }
}
