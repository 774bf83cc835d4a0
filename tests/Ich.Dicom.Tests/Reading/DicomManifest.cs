using System.Globalization;
using Ich.Core.Text;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>One row of realdata/dicom_manifest.csv (reference values computed by pydicom/GDCM/DCMTK).</summary>
public sealed record DicomManifestRow(
    string File, string Expect, string TransferSyntaxUid, int? Rows, int? Columns, int? Frames, int? BitsAllocated,
    int? BitsStored, int? PixelRepresentation, string Photometric, double? RescaleSlope, double? RescaleIntercept,
    int? PixelPaddingValue, double? StoredMin, double? StoredMax, double? StoredMean, double? HuMin, double? HuMax,
    double? HuMean, string PixelSha256, string SopClassUid)
{
    public const string RelativePath = "realdata/dicom_manifest.csv";

    public string FullPath => Path.Combine(RepoPaths.Shared, "realdata", File);

    private static readonly Lazy<Dictionary<string, DicomManifestRow>> All = new(Load);

    /// <summary>File names of every row, for [MemberData]; a single placeholder when the corpus is absent.</summary>
    public static IEnumerable<object[]> FileNames()
    {
        var path = Path.Combine(RepoPaths.Shared, RelativePath);
        if (!System.IO.File.Exists(path)) return [["(manifest absent)"]];
        return All.Value.Keys.Select(k => new object[] { k });
    }

    /// <summary>The row for a file; skips the test when the corpus is absent.</summary>
    public static DicomManifestRow Get(string file)
    {
        RepoPaths.RequireShared(RelativePath);
        return All.Value[file];
    }

    private static Dictionary<string, DicomManifestRow> Load()
    {
        var table = CsvTable.Read(Path.Combine(RepoPaths.Shared, RelativePath));
        var rows = new Dictionary<string, DicomManifestRow>(StringComparer.Ordinal);
        foreach (var r in table.Rows)
        {
            string S(string c) => r[table.Require(c)];
            int? I(string c) => int.TryParse(S(c), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
            double? D(string c) => double.TryParse(S(c), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            var row = new DicomManifestRow(S("file"), S("expect"), S("transfer_syntax_uid"), I("rows"), I("cols"), I("frames"),
                I("bits_allocated"), I("bits_stored"), I("pixel_representation"), S("photometric"), D("rescale_slope"),
                D("rescale_intercept"), I("pixel_padding_value"), D("stored_min"), D("stored_max"), D("stored_mean"), D("hu_min"),
                D("hu_max"), D("hu_mean"), S("pixel_sha256"), S("sop_class_uid"));
            rows.Add(row.File, row);
        }
        return rows;
    }
}
