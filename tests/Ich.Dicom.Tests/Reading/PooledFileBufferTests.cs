using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>
/// Full reads hold the file in a buffer rented from the shared pool and given back by
/// <see cref="DicomFile.Dispose"/>: a recycled buffer is longer than the next file and still holds the
/// previous file's bytes, which must never be read, and nothing may use a disposed file's bytes.
/// </summary>
public sealed class PooledFileBufferTests
{
    private static string Fixture(string name) => Path.Combine(RepoPaths.Fixtures, "dicom", name);

    private static string ExpectedHash(string fixture)
    {
        var table = CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "dicom", "expected.csv"));
        return table.Rows.Single(r => r[0] == fixture)[table.Require("pixel_sha256")];
    }

    [Fact]
    public void Read_TruncatedFileAfterItsCompleteTwin_StillFails()
    {
        // The truncated copy is read into the buffer the complete file just gave back (same size class, same
        // thread): past the truncated length it still holds the rest of the complete file. A parser that
        // looked past the length it was given would "succeed" here.
        var bytes = File.ReadAllBytes(Fixture("CT_small.dcm"));
        var dir = RepoPaths.NewTempDir("ich-pooled");
        try
        {
            var truncated = Path.Combine(dir, "CT_small_cut.dcm");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length - 5000)]);
            for (var i = 0; i < 3; i++)
            {
                using (var complete = DicomFileReader.Read(Fixture("CT_small.dcm")))
                    Assert.Equal(ExpectedHash("CT_small.dcm"), StoredPixelHash.Compute(DicomPixelData.Create(complete)));
                var e = Assert.Throws<DicomFormatException>(() =>
                {
                    using var file = DicomFileReader.Read(truncated);
                    StoredPixelHash.Compute(DicomPixelData.Create(file));
                });
                Assert.Equal(truncated, e.Path);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Read_FilesOneAfterAnotherDisposed_EachMatchesItsReference()
    {
        // Both are ~9.7 KB (one size class), so each read reuses the buffer the previous one returned.
        string[] names = ["MR_small_bigendian.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm"];
        foreach (var name in names)
        {
            using var file = DicomFileReader.Read(Fixture(name));
            Assert.Equal(ExpectedHash(name), StoredPixelHash.Compute(DicomPixelData.Create(file)));
        }
    }

    [Fact]
    public void Dispose_ThenUseDatasetOrPixels_ObjectDisposed()
    {
        var file = DicomFileReader.Read(Fixture("CT_small.dcm"));
        var pixels = DicomPixelData.Create(file);
        file.Dispose();
        file.Dispose(); // idempotent
        Assert.True(file.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => file.Dataset);
        Assert.Throws<ObjectDisposedException>(() => file.FileMeta);
        Assert.Throws<ObjectDisposedException>(() => pixels.GetStoredFrame(0));
        Assert.Throws<ObjectDisposedException>(() => pixels.GetModalityTransform());
        Assert.Equal("1.2.840.10008.1.2.1", file.TransferSyntaxUid); // plain properties stay readable
    }
}
