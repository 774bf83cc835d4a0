using System.Globalization;
using System.Text;
using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Dicom.Writing;
using Ich.Synth.Output;
using Ich.Synth.Rendering;

namespace Ich.Synth;

/// <summary>Labels of one slice: bleed area per subtype (mm², file order epidural … subdural) and the 0/1 labels.</summary>
public sealed record SliceLabels(int Index, string SopInstanceUid, string FileName, double[] AreasMm2)
{
    /// <summary>Subtype label: bleed area in the slab ≥ <see cref="PhantomGenerator.MinAreaMm2"/>.</summary>
    public bool Has(int subtype) => AreasMm2[subtype] >= PhantomGenerator.MinAreaMm2;
    public bool Any => Enumerable.Range(0, 5).Any(Has);
}

/// <summary>One generated scan: its plan, its per-slice labels and (after rendering) its masks.</summary>
public sealed record PhantomScan(ScanPlan Plan, IReadOnlyList<SliceLabels> Slices, BleedMasks Masks)
{
    public bool Has(int subtype) => Slices.Any(s => s.Has(subtype));
    public bool Any => Slices.Any(s => s.Any);
    public IEnumerable<string> SubtypesPresent => Enumerable.Range(0, 5).Where(Has).Select(t => BleedMaskFile.SubtypeNames[t]);
}

/// <summary>
/// Generates phantom scans: the label-only fast path (<see cref="Labels"/>), the full render of one
/// slab (<see cref="RenderSlice"/>), and the writer of a whole dataset folder (<see cref="Write"/>).
/// Slices of a scan are rendered in parallel; every random draw comes from a generator seeded by
/// (seed, scan, slice), so the output bytes do not depend on thread scheduling.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>A slice is positive for a subtype when that subtype's mask covers at least this area (mm²).</summary>
    public const double MinAreaMm2 = 5.0;

    /// <summary>Plans scan <paramref name="index"/> and computes its masks and labels without rendering pixels.</summary>
    public static PhantomScan Labels(SynthOptions options, int index)
    {
        var plan = ScanPlanner.Plan(options, index);
        var slices = new RenderedSlice[plan.SliceCount];
        Parallel.For(0, plan.SliceCount, k => slices[k] = LabelSlice(plan, k));
        return Collect(plan, slices);
    }

    /// <summary>
    /// One slab's mask without its final pixels: the geometric rule evaluates the bleeds only where they can be; the
    /// visible rule needs the reconstructed pixels, so it renders them (no streaks or noise: they cannot change the mask).
    /// </summary>
    private static RenderedSlice LabelSlice(ScanPlan plan, int k)
    {
        if (plan.LabelRule == PhantomLabelRule.Geometric) return SliceRenderer.Render(plan, k, withPixels: false);
        var slice = SliceRenderer.Render(plan, k, withPixels: true);
        Artifacts.Reconstruct(plan, slice.Hu!);
        return VisibleBlood.Keep(slice, slice.Hu!) with { Hu = null };
    }

    /// <summary>Renders one slab with all scanner effects: HU pixels, mask (by the plan's label rule) and FOV.</summary>
    public static RenderedSlice RenderSlice(ScanPlan plan, int k)
    {
        var slice = SliceRenderer.Render(plan, k, withPixels: true);
        Artifacts.Reconstruct(plan, slice.Hu!);
        if (plan.LabelRule == PhantomLabelRule.Visible) slice = VisibleBlood.Keep(slice, slice.Hu!);
        Artifacts.Degrade(plan, k, slice.Hu!, slice.InsideFov);
        return slice;
    }

    /// <summary>Renders scan <paramref name="index"/> and writes its DICOM files into <paramref name="scanDir"/>.</summary>
    public static PhantomScan WriteScan(SynthOptions options, int index, string scanDir, CancellationToken cancel = default)
    {
        var plan = ScanPlanner.Plan(options, index);
        Directory.CreateDirectory(scanDir);
        var slices = new RenderedSlice[plan.SliceCount];
        Parallel.For(0, plan.SliceCount, new ParallelOptions { CancellationToken = cancel }, k =>
        {
            var slice = RenderSlice(plan, k);
            var stored = PhantomDicom.Store(plan, slice.Hu!, slice.InsideFov);
            DicomFileWriter.Write(Path.Combine(scanDir, plan.FileNames[k]), PhantomDicom.Build(plan, k, stored), plan.TransferSyntaxUid);
            slices[k] = slice with { Hu = null }; // keep the mask, free the pixels
        });
        return Collect(plan, slices);
    }

    private static PhantomScan Collect(ScanPlan plan, RenderedSlice[] slices)
    {
        var pixelArea = plan.PixelSpacingMm * plan.PixelSpacingMm;
        var labels = slices.Select(s => new SliceLabels(s.Index, plan.SopUids[s.Index], plan.FileNames[s.Index],
            s.MaskPixels.Select(c => c * pixelArea).ToArray())).ToList();
        var masks = new BleedMasks(plan.Size, plan.Size, plan.PixelSpacingMm, slices.Select(s =>
            new SliceMasks(plan.SopUids[s.Index], Enumerable.Range(0, 5).Select(t => SliceMasks.Encode(s.Mask, t)).ToArray())).ToList());
        return new PhantomScan(plan, labels, masks);
    }

    /// <summary>
    /// Writes <paramref name="scans"/> phantom scans into <paramref name="outDir"/> (which must be new or
    /// empty): &lt;scan_id&gt;/ID_*.dcm, masks/&lt;scan_id&gt;.ichmask, labels.csv, scans.csv, style_values.csv and synth.json,
    /// all appended scan by scan so an interrupted run leaves consistent files.
    /// </summary>
    public static IReadOnlyList<PhantomScan> Write(SynthOptions options, string outDir, int scans,
        Action<PhantomScan>? onScan = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (scans < 1) throw new ConfigException($"--scans must be at least 1, not {scans}");
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new ConfigException("output folder is not empty (refusing to overwrite)", outDir);
        Directory.CreateDirectory(Path.Combine(outDir, "masks"));
        SynthSettingsFile.Write(outDir, options);
        var results = new List<PhantomScan>();
        using var labels = new StreamWriter(Path.Combine(outDir, "labels.csv"), false, new UTF8Encoding(false)) { NewLine = "\n" };
        using var table = new StreamWriter(Path.Combine(outDir, "scans.csv"), false, new UTF8Encoding(false)) { NewLine = "\n" };
        using var styles = new StreamWriter(Path.Combine(outDir, StyleValuesFile), false, new UTF8Encoding(false)) { NewLine = "\n" };
        labels.WriteLine("ID,Label");
        table.WriteLine(ScansCsvHeader);
        styles.WriteLine(StyleValuesHeader);
        for (var i = 0; i < scans; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var scan = WriteScan(options, i, Path.Combine(outDir, ScanIdFor(options, i)), cancel);
            BleedMaskFile.Write(Path.Combine(outDir, "masks", scan.Plan.ScanId + ".ichmask"), scan.Masks);
            foreach (var s in scan.Slices) WriteLabelRows(labels, s);
            table.WriteLine(ScansCsvRow(scan));
            foreach (var row in StyleValueRows(scan.Plan)) styles.WriteLine(row);
            labels.Flush(); table.Flush(); styles.Flush();
            results.Add(scan);
            onScan?.Invoke(scan);
        }
        return results;
    }

    /// <summary>"phantom-&lt;seed&gt;-&lt;index&gt;" for Standard, "phantom-&lt;style&gt;-&lt;seed&gt;-&lt;index&gt;" for the other styles.</summary>
    public static string ScanIdFor(SynthOptions options, int index) => $"phantom-{PhantomStyles.IdPrefix(options.Style)}{options.Seed}-{index:D5}";

    public const string ScansCsvHeader =
        "scan_id,patient_id,study_uid,series_uid,slices,thickness_mm,pixel_spacing_mm,tilt_deg,encoding,transfer_syntax,subtypes,positive_slices,seed,scan_index";

    /// <summary>
    /// Every style parameter drawn for each scan (long format: scan_id, series_uid, parameter, value), so a score can be
    /// related to what a scan was drawn with (<c>ich evaluate --style-values</c>; docs/phantoms.md "Attributing a style-shift
    /// loss"). Long rather than wide because a scan only holds the parameters it drew (a gantry tilt only when tilted);
    /// both IDs because synth names a scan by its folder and <c>ich predict</c> by its series UID.
    /// </summary>
    public const string StyleValuesFile = "style_values.csv";
    public const string StyleValuesHeader = "scan_id,series_uid,parameter,value";

    /// <summary>A scan's style_values.csv rows, by parameter name (ordinal), values round-trippable.</summary>
    public static IEnumerable<string> StyleValueRows(ScanPlan plan) =>
        plan.StyleValues.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{plan.ScanId},{plan.SeriesUid},{kv.Key},{kv.Value.ToString("R", CultureInfo.InvariantCulture)}");

    /// <summary>The six labels.csv rows of a slice, in the RSNA training CSV's order: the five subtypes, then any.</summary>
    public static void WriteLabelRows(TextWriter w, SliceLabels s)
    {
        // Row IDs come from the label reader's own RowId, so what synth writes is what every reader reads.
        for (var t = 0; t < 5; t++) w.WriteLine($"{RsnaLabelFile.RowId(s.SopInstanceUid, t + 1)},{(s.Has(t) ? 1 : 0)}");
        w.WriteLine($"{RsnaLabelFile.RowId(s.SopInstanceUid, 0)},{(s.Any ? 1 : 0)}");
    }

    public static string ScansCsvRow(PhantomScan scan)
    {
        var p = scan.Plan;
        return string.Join(',', p.ScanId, p.PatientId, p.StudyUid, p.SeriesUid, p.SliceCount.ToString(CultureInfo.InvariantCulture),
            p.ThicknessMm.ToString(CultureInfo.InvariantCulture), p.PixelSpacingMm.ToString(CultureInfo.InvariantCulture),
            p.TiltDegrees.ToString(CultureInfo.InvariantCulture), p.Encoding.ToString(), p.ImplicitVr ? "implicit" : "explicit",
            string.Join(';', scan.SubtypesPresent), scan.Slices.Count(s => s.Any).ToString(CultureInfo.InvariantCulture),
            p.Seed.ToString(CultureInfo.InvariantCulture), p.Index.ToString(CultureInfo.InvariantCulture));
    }
}
