using Ich.Core.Text;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// The committed DICOM fixtures with their independent reference values: tests/fixtures/dicom/expected.csv
/// (rows of realdata/dicom_manifest.csv: pydicom/GDCM/DCMTK) and tests/fixtures/cli/fixture_uids.csv (pydicom).
/// </summary>
internal sealed record DicomFixture(
    string Name, string Expect, string TransferSyntaxUid, int? Rows, int? Columns, int? Frames, string PixelSha256,
    string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid)
{
    public static string Folder => Path.Combine(RepoPaths.Fixtures, "dicom");

    public string FullPath => Path.Combine(Folder, Name);

    /// <summary>Decodes (expect ok): the reference pixel hash applies.</summary>
    public bool Decodes => Expect == "ok";

    /// <summary>Parses but has no pixel data (expect ok-header).</summary>
    public bool HeaderOnly => Expect == "ok-header";

    public bool MustFail => Expect.StartsWith("error", StringComparison.Ordinal);

    private static readonly Lazy<IReadOnlyList<DicomFixture>> AllLazy = new(Load);

    public static IReadOnlyList<DicomFixture> All => AllLazy.Value;

    public static DicomFixture Get(string name) => All.Single(f => f.Name == name);

    private static IReadOnlyList<DicomFixture> Load()
    {
        var expected = CsvTable.Read(Path.Combine(Folder, "expected.csv"));
        var uids = CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "cli", "fixture_uids.csv"));
        var uidRows = uids.Rows.ToDictionary(r => r[uids.Require("fixture")], StringComparer.Ordinal);
        return expected.Rows.Select(r =>
        {
            string Col(CsvTable t, CsvRow row, string name) => row[t.Require(name)];
            var name = Col(expected, r, "fixture");
            var u = uidRows[name];
            return new DicomFixture(
                name, Col(expected, r, "expect"), Col(expected, r, "transfer_syntax_uid"),
                IntOrNull(Col(expected, r, "rows")), IntOrNull(Col(expected, r, "cols")), IntOrNull(Col(expected, r, "frames")),
                Col(expected, r, "pixel_sha256"),
                Col(uids, u, "sop_instance_uid"), Col(uids, u, "study_instance_uid"), Col(uids, u, "series_instance_uid"));
        }).ToList();
    }

    /// <summary>Null for an empty or non-integer cell (badVR.dcm's NumberOfFrames is "1A").</summary>
    private static int? IntOrNull(string text) => int.TryParse(text, out var v) ? v : null;
}
