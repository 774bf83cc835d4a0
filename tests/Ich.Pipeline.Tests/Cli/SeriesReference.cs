using System.Globalization;
using Ich.Core.Text;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>One slice of a reference series: SOP UID, position along the slice normal and step from the previous slice.</summary>
internal sealed record ReferenceSlice(string SopInstanceUid, double PositionMm, double? StepMm, double? ThicknessMm);

/// <summary>
/// Expected slice order and geometry of a real head-CT series, computed with pydicom + numpy:
/// realdata/headct/series_reference.csv (shared corpus) and tests/fixtures/series/rsna_okotaku_series_reference.csv.
/// </summary>
internal sealed record SeriesReference(string Folder, IReadOnlyList<ReferenceSlice> Slices, double TiltDeg)
{
    public IReadOnlyList<string> SopInstanceUids => Slices.Select(s => s.SopInstanceUid).ToList();

    public IReadOnlyList<double> Steps => Slices.Skip(1).Select(s => s.StepMm!.Value).ToList();

    /// <summary>Median step between neighbouring slices (the meaning of spacingMm).</summary>
    public double MedianStepMm
    {
        get
        {
            var s = Steps.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }

    /// <summary>realdata/headct/series_reference.csv, one reference per series folder.</summary>
    public static IReadOnlyList<SeriesReference> SharedHeadCt(string realdata)
    {
        var t = CsvTable.Read(Path.Combine(realdata, "headct", "series_reference.csv"));
        string Col(CsvRow r, string c) => r[t.Require(c)];
        return t.Rows.GroupBy(r => Col(r, "series_folder"))
            .Select(g => new SeriesReference(
                g.Key,
                g.OrderBy(r => int.Parse(Col(r, "sorted_index"), CultureInfo.InvariantCulture))
                    .Select(r => new ReferenceSlice(Col(r, "sop_instance_uid"), Number(Col(r, "position_along_normal_mm"))!.Value,
                        Number(Col(r, "gap_to_previous_mm")), Number(Col(r, "slice_thickness"))))
                    .ToList(),
                Number(Col(g.First(), "tilt_from_iop_deg"))!.Value))
            .ToList();
    }

    /// <summary>The committed reference of the RSNA stage-2 series ID_4d28912ba6 (no SliceThickness in these files).</summary>
    public static SeriesReference RsnaOkotaku()
    {
        var t = CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "series", "rsna_okotaku_series_reference.csv"));
        string Col(CsvRow r, string c) => r[t.Require(c)];
        var rows = t.Rows.OrderBy(r => int.Parse(Col(r, "sorted_index"), CultureInfo.InvariantCulture)).ToList();
        return new SeriesReference("headct/rsna2019_okotaku_stage2_series",
            rows.Select(r => new ReferenceSlice(Col(r, "sop_instance_uid"), Number(Col(r, "position_along_normal_mm"))!.Value,
                Number(Col(r, "step_mm")), null)).ToList(),
            Number(Col(rows[0], "tilt_deg"))!.Value);
    }

    private static double? Number(string text) =>
        text.Trim().Length == 0 ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
