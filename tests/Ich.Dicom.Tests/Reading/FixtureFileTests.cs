using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>
/// The committed fixtures (tests/fixtures/dicom, pydicom test files) against the reference values
/// copied from the shared manifest into expected.csv: runs on every clone.
/// </summary>
public sealed class FixtureFileTests
{
    private static readonly Lazy<CsvTable> Expected = new(() => CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "dicom", "expected.csv")));

    public static IEnumerable<object[]> Fixtures() =>
        Expected.Value.Rows.Select(r => new object[] { r[Expected.Value.Require("fixture")] });

    private static string Column(string fixture, string column)
    {
        var table = Expected.Value;
        var row = table.Rows.Single(r => r[table.Require("fixture")] == fixture);
        return row[table.Require(column)];
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_ReadAndDecode_MatchesReference(string fixture)
    {
        var path = Path.Combine(RepoPaths.Fixtures, "dicom", fixture);
        var expect = Column(fixture, "expect");
        if (expect.StartsWith("error", StringComparison.Ordinal))
        {
            var error = Assert.Throws<DicomFormatException>(() => StoredPixelHash.Compute(DicomPixelData.Create(DicomFileReader.Read(path))));
            Assert.Equal(path, error.Path);
            return;
        }
        var header = DicomFileReader.Read(path, DicomReadOptions.Header);
        var file = DicomFileReader.Read(path);
        Assert.Equal(Column(fixture, "transfer_syntax_uid"), file.TransferSyntaxUid);
        Assert.Equal(file.Dataset.GetString(DicomTags.SOPInstanceUID), header.Dataset.GetString(DicomTags.SOPInstanceUID));
        if (expect == "ok-header") return;

        Assert.True(header.HasPixelData);
        var pixels = DicomPixelData.Create(file);
        Assert.Equal(int.Parse(Column(fixture, "rows")), pixels.Description.Rows);
        Assert.Equal(int.Parse(Column(fixture, "cols")), pixels.Description.Columns);
        Assert.Equal(Column(fixture, "photometric"), pixels.Description.Photometric);
        Assert.Equal(Column(fixture, "pixel_sha256"), StoredPixelHash.Compute(pixels));
        var slope = Column(fixture, "rescale_slope");
        var transform = pixels.GetModalityTransform();
        Assert.Equal(slope.Length == 0 ? 1.0 : double.Parse(slope, System.Globalization.CultureInfo.InvariantCulture), transform.Slope);
    }

    [Fact]
    public void ImplicitBigEndianAndRle_OfTheSameImage_DecodeIdentically()
    {
        var hashes = new[] { "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm" }
            .Select(f => StoredPixelHash.Compute(DicomPixelData.Create(DicomFileReader.Read(Path.Combine(RepoPaths.Fixtures, "dicom", f)))))
            .Distinct()
            .ToList();
        Assert.Single(hashes);
    }

    [Fact]
    public void CtSmall_PaddingAndRescale_AreExposed()
    {
        var pixels = DicomPixelData.Create(DicomFileReader.Read(Path.Combine(RepoPaths.Fixtures, "dicom", "CT_small.dcm")));
        Assert.Equal(-2000, pixels.PixelPaddingValue); // manifest: pixel_padding_value -2000
        var t = pixels.GetModalityTransform();
        Assert.Equal(ModalitySource.Rescale, t.Source);
        Assert.Equal(-1024, t.Intercept);
    }
}
