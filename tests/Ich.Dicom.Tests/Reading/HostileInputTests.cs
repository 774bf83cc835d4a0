using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>
/// Hostile files built in the test: each must fail with a typed error naming the file, allocating
/// far less than 100 MB beyond the file size (lengths are checked before anything is allocated).
/// </summary>
public sealed class HostileInputTests
{
    private const long MemoryBudget = 100L * 1024 * 1024;

    private static DicomBytesBuilder Start() => new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian)
        .Text(0x0008, 0x0060, "CS", "CT");

    private static DicomFormatException FailsCleanly(byte[] bytes, string name, bool decodePixels = false)
    {
        var path = Path.Combine(RepoPaths.NewTempDir("ich-hostile"), name);
        File.WriteAllBytes(path, bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DicomFormatException>(() =>
        {
            var file = DicomFileReader.Read(path);
            if (decodePixels) StoredPixelHash.Compute(DicomPixelData.Create(file));
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < bytes.Length + MemoryBudget, $"allocated {allocated} bytes for a {bytes.Length}-byte file");
        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void Read_LengthFieldFFFFFFF0InSmallFile_FailsWithoutAllocating()
    {
        var b = Start().Header(0x0029, 0x1010, "OB", 0xFFFFFFF0);
        b.Raw(new byte[1024 - b.Length]);
        var error = FailsCleanly(b.ToArray(), "huge-length.dcm");
        Assert.Contains("4294967280", error.Reason);
    }

    [Fact]
    public void Read_ImplicitLengthFieldFFFFFFF0_FailsWithoutAllocating()
    {
        var b = new DicomBytesBuilder(explicitVr: false).Text(0x0008, 0x0060, "CS", "CT").Header(0x0010, 0x0010, "PN", 0xFFFFFFF0);
        b.Raw(new byte[1024 - b.Length]);
        FailsCleanly(b.ToArray(), "huge-implicit.dcm");
    }

    [Fact]
    public void Read_SequenceClaiming2GB_Fails()
    {
        var b = Start().Header(0x5200, 0x9229, "SQ", 0x80000000).Item(0x7FFFFFF0);
        b.Raw(new byte[512]);
        var error = FailsCleanly(b.ToArray(), "2gb-sequence.dcm");
        Assert.Contains("(5200,9229)", error.Reason);
    }

    [Fact]
    public void Read_ItemClaiming2GBInsideUndefinedSequence_Fails()
    {
        var b = Start().Header(0x5200, 0x9229, "SQ", DicomBytesBuilder.Undefined).Item(0x7FFFFFF0);
        b.Raw(new byte[512]);
        FailsCleanly(b.ToArray(), "2gb-item.dcm");
    }

    [Fact]
    public void Read_UnterminatedUndefinedLengthSequence_Fails()
    {
        var b = Start().Header(0x5200, 0x9229, "SQ", DicomBytesBuilder.Undefined).Item().Text(0x0028, 0x1052, "DS", "1");
        FailsCleanly(b.ToArray(), "open-sequence.dcm");
    }

    [Fact]
    public void Read_SequencesNestedTooDeep_FailsWithoutStackOverflow()
    {
        var b = Start();
        for (var i = 0; i < 5000; i++) b.Header(0x5200, 0x9229, "SQ", DicomBytesBuilder.Undefined).Item();
        var error = FailsCleanly(b.ToArray(), "deep.dcm");
        Assert.Contains("nested", error.Reason);
    }

    [Fact]
    public void Read_TruncatedPixelElement_FailsFullReadButHeaderReadSucceeds()
    {
        var b = Start().Image(64, 64, 16, 16, signed: false).Header(0x7FE0, 0x0010, "OW", 64 * 64 * 2);
        b.Raw(new byte[1000]);
        var bytes = b.ToArray();
        var error = FailsCleanly(bytes, "truncated-pixels.dcm");
        Assert.Contains("(7FE0,0010)", error.Reason);
        var header = DicomFileReader.Read(bytes, "truncated-pixels.dcm", DicomReadOptions.Header);
        Assert.Equal(64, header.Dataset.GetInt(DicomTags.Rows));
    }

    [Fact]
    public void Create_PixelDataShorterThanImage_FailsBeforeAllocatingFrames()
    {
        // A consistent element (10 bytes) for 2 000 000 000 frames of 4096 × 4096 × 32 bits: the product
        // overflows 64-bit integers, so it must be checked without overflowing.
        var b = Start().Image(4096, 4096, 32, 32, signed: false, frames: 2_000_000_000).Element(0x7FE0, 0x0010, "OW", new byte[10]);
        var error = FailsCleanly(b.ToArray(), "tiny-pixels.dcm", decodePixels: true);
        Assert.Contains("Pixel Data has 10 bytes", error.Reason);
    }

    [Fact]
    public void Create_EncapsulatedFrameOfHugeSize_FailsBeforeAllocatingTheFrame()
    {
        var b = Start().Image(65535, 65535, 16, 16, signed: false).Encapsulated([], [0xFF, 0xD8, 0xFF, 0xD9]);
        var error = FailsCleanly(b.ToArray(), "huge-frame.dcm", decodePixels: true);
        Assert.Contains("limit", error.Reason);
    }

    [Fact]
    public void Read_FragmentLongerThanFile_Fails()
    {
        var b = Start().Image(8, 8, 8, 8, signed: false).Header(0x7FE0, 0x0010, "OB", DicomBytesBuilder.Undefined)
            .Item(0).Item(0x7FFFFFFF);
        b.Raw(new byte[100]);
        FailsCleanly(b.ToArray(), "long-fragment.dcm");
    }

    [Fact]
    public void Read_NonDicomFile_FailsAsNotDicom()
    {
        var text = "This is a plain text file, not DICOM at all.\n"u8.ToArray();
        var error = FailsCleanly(Enumerable.Repeat(text, 40).SelectMany(x => x).ToArray(), "notes.txt");
        Assert.Contains("not a DICOM file", error.Reason);
    }

    [Fact]
    public void Read_EmptyFile_FailsAsEmpty()
    {
        var error = FailsCleanly([], "empty.dcm");
        Assert.Contains("empty", error.Reason);
    }

    [Fact]
    public void Read_PreambleWithoutMeta_Fails()
    {
        var bytes = new DicomBytesBuilder().Preamble().Raw(new byte[64]).ToArray();
        FailsCleanly(bytes, "dicm-only.dcm");
    }

    [Fact]
    public void Read_FileAboveSizeLimit_FailsWithTypedError()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("ich-hostile"), "big.dcm");
        File.WriteAllBytes(path, Start().Raw(new byte[4096]).ToArray());
        var error = Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(path, new DicomReadOptions { MaxFileBytes = 1024 }));
        Assert.Contains("limit of 1024 bytes", error.Reason);
    }

    [Fact]
    public void Read_DeflateBombAboveLimit_StopsAtTheLimit()
    {
        var deflated = new MemoryStream();
        using (var z = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            z.Write(new byte[50_000_000]); // 50 MB of zeros → ~50 KB compressed
        var bytes = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.DeflatedExplicitVRLittleEndian).Raw(deflated.ToArray()).ToArray();
        var error = Assert.Throws<DicomFormatException>(() =>
            DicomFileReader.Read(bytes, "bomb.dcm", new DicomReadOptions { MaxFileBytes = 1_000_000 }));
        Assert.Contains("limit", error.Reason);
    }
}
