using Ich.Core;
using Ich.Core.Errors;
using Ich.Dicom.Writing;

namespace Ich.DicomResults.Input;

/// <summary>
/// Checks a <see cref="StudyResultInput"/> before anything is written, so a bad field fails with a
/// <see cref="ResultInputException"/> naming it instead of producing an invalid object.
/// </summary>
internal static class InputValidator
{
    public static void Validate(StudyResultInput input, CaptureMode mode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var study = input.Study.StudyInstanceUid;
        RequireUid(input.Series.SeriesInstanceUid, "Series.SeriesInstanceUid", study);
        var n = input.Series.Instances.Count;
        if (n == 0) Fail("Series.Instances is empty", study);
        for (var i = 0; i < n; i++)
        {
            RequireUid(input.Series.Instances[i].SopClassUid, $"Series.Instances[{i}].SopClassUid", study);
            RequireUid(input.Series.Instances[i].SopInstanceUid, $"Series.Instances[{i}].SopInstanceUid", study);
        }
        Ascii(input.Algorithm.Name, "Algorithm.Name", study, 64);
        Ascii(input.Algorithm.Version, "Algorithm.Version", study, 64);
        Ascii(input.Algorithm.Manufacturer, "Algorithm.Manufacturer", study, 64);
        foreach (var p in input.Algorithm.Parameters) Ascii(p, "Algorithm.Parameters", study, 1024);
        Ascii(input.Disclaimer, "Disclaimer", study, 1024);
        if (input.SeriesNumberBase is < 0 or > 100_000_000) Fail("SeriesNumberBase must be 0..100000000", study);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in input.Findings)
        {
            if (HemorrhageClasses.IndexOf(f.ClassName) < 0) Fail($"finding '{f.ClassName}' is not a class of HemorrhageClasses", study);
            if (!seen.Add(f.ClassName)) Fail($"finding '{f.ClassName}' appears twice", study);
            if (!(f.Probability is >= 0 and <= 1)) Fail($"finding '{f.ClassName}': probability {f.Probability} is not in [0, 1]", study);
            if (f.Threshold is { } t && !(t is >= 0 and <= 1)) Fail($"finding '{f.ClassName}': threshold {t} is not in [0, 1]", study);
            if (f.Threshold is null && f.Present) Fail($"finding '{f.ClassName}': present without an operating point", study);
            foreach (var s in f.TopSliceIndices)
                if (s < 0 || s >= n) Fail($"finding '{f.ClassName}': slice index {s} is outside the series (0..{n - 1})", study);
        }
        if (seen.Count != HemorrhageClasses.Count)
            Fail($"findings cover {seen.Count} classes; one per class of HemorrhageClasses ({HemorrhageClasses.Count}) is needed", study);

        var pictured = new HashSet<int>();
        foreach (var s in input.Slices)
        {
            if (s.SliceIndex < 0 || s.SliceIndex >= n) Fail($"slice image index {s.SliceIndex} is outside the series (0..{n - 1})", study);
            if (s.SaliencyWidth < 1 || s.SaliencyHeight < 1 || s.Saliency.Length != s.SaliencyWidth * s.SaliencyHeight)
                Fail($"slice image {s.SliceIndex}: saliency has {s.Saliency.Length} values for {s.SaliencyWidth}x{s.SaliencyHeight}", study);
            foreach (var v in s.Saliency)
                if (!(v is >= 0 and <= 1))
                {
                    Fail($"slice image {s.SliceIndex}: saliency value {v} is outside the absolute 0..1 scale", study);
                    break;
                }
            if (s.Hu.Width > 4096 || s.Hu.Height > 4096) Fail($"slice image {s.SliceIndex}: {s.Hu.Width}x{s.Hu.Height} exceeds 4096x4096", study);
            if (s.Caption is not null) Ascii(s.Caption, $"slice image {s.SliceIndex} caption", study, 64);
            pictured.Add(s.SliceIndex);
        }
        var needed = mode == CaptureMode.Full ? Enumerable.Range(0, n) : input.KeySliceIndices();
        foreach (var i in needed)
            if (!pictured.Contains(i)) Fail($"slice {i} needs a capture ({mode} mode) but has no slice image", study);
    }

    private static void RequireUid(string uid, string field, string study)
    {
        if (!DicomUids.IsValid(uid)) Fail($"{field} '{uid}' is not a valid UID", study);
    }

    private static void Ascii(string text, string field, string study, int maxLength)
    {
        if (text.Length > maxLength) Fail($"{field} is longer than {maxLength} characters", study);
        foreach (var c in text)
            if (c is < ' ' or > '~' or '\\') Fail($"{field} has a character outside printable ASCII (or a backslash)", study);
    }

    private static void Fail(string reason, string study) => throw new ResultInputException(reason, $"study {study}");
}
