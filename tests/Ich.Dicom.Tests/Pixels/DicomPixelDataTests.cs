using System.Buffers.Binary;
using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Tests.Pixels;

/// <summary>Native pixel decoding on hand-built files; every expected value is worked out by hand.</summary>
public sealed class DicomPixelDataTests
{
    private static DicomPixelData Pixels(DicomBytesBuilder b) => DicomPixelData.Create(DicomFileReader.Read(b.ToArray(), "px.dcm"));

    private static DicomBytesBuilder File(string ts = TransferSyntaxes.ExplicitVRLittleEndian) =>
        new DicomBytesBuilder().Preamble().Meta(ts).Text(0x0008, 0x0060, "CS", "CT");

    private static byte[] U16(params ushort[] v)
    {
        var b = new byte[v.Length * 2];
        for (var i = 0; i < v.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), v[i]);
        return b;
    }

    [Fact]
    public void GetStoredFrame_Signed12Of16WithHighBitsSet_MasksAndSignExtends()
    {
        var px = Pixels(File().Image(2, 2, 16, 12, signed: true).Element(0x7FE0, 0x0010, "OW", U16(0xF800, 0x07FF, 0xA123, 0x1FFF)));
        Assert.Equal([-2048, 2047, 0x123, -1], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_Unsigned12Of16WithHighBitsSet_Masks()
    {
        var px = Pixels(File().Image(2, 2, 16, 12, signed: false).Element(0x7FE0, 0x0010, "OW", U16(0xF800, 0x07FF, 0xA123, 0x1FFF)));
        Assert.Equal([0x800, 0x7FF, 0x123, 0xFFF], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_Signed16_ReadsTwosComplement()
    {
        var px = Pixels(File().Image(1, 3, 16, 16, signed: true).Element(0x7FE0, 0x0010, "OW", U16(0xF830, 0x8000, 0x7FFF, 0)));
        Assert.Equal([-2000, -32768, 32767], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_Signed8_ReadsTwosComplement()
    {
        var px = Pixels(File().Image(2, 2, 8, 8, signed: true).Element(0x7FE0, 0x0010, "OB", [0x80, 0x7F, 0xFF, 0x00]));
        Assert.Equal([-128, 127, -1, 0], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_Unsigned32_KeepsBitPatternAndModalityReadsItUnsigned()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0xFFFFFFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 795000);
        var px = Pixels(File().Image(1, 2, 32, 32, signed: false).Element(0x7FE0, 0x0010, "OW", bytes));
        var stored = px.GetStoredFrame(0);
        Assert.Equal([unchecked((int)0xFFFFFFFE), 795000], stored);
        Assert.Equal(4294967294.0, px.GetModalityTransform().Apply(stored[0]));
    }

    [Fact]
    public void GetStoredFrame_OneBitPerPixelAcrossFrames_UnpacksLsbFirstWithoutRealigning()
    {
        // 2 frames of 3×3 = 18 bits; frame 1 starts at bit 9 (not byte-aligned).
        var px = Pixels(File().Image(3, 3, 1, 1, signed: false, frames: 2).Element(0x7FE0, 0x0010, "OB", [0b10110101, 0b01100011, 0b00000010]));
        Assert.Equal([1, 0, 1, 0, 1, 1, 0, 1, 1], px.GetStoredFrame(0));
        Assert.Equal([1, 0, 0, 0, 1, 1, 0, 0, 1], px.GetStoredFrame(1));
    }

    [Fact]
    public void GetStoredFrame_MultiFrame_ReturnsFramesInFileOrder()
    {
        var px = Pixels(File().Image(1, 2, 16, 16, signed: false, frames: 3).Element(0x7FE0, 0x0010, "OW", U16(1, 2, 3, 4, 5, 6)));
        Assert.Equal(3, px.FrameCount);
        Assert.Equal([3, 4], px.GetStoredFrame(1));
        Assert.Equal([5, 6], px.GetStoredFrame(2));
    }

    [Fact]
    public void Description_Monochrome1_IsFlaggedAndValuesAreNotInverted()
    {
        var px = Pixels(File().Image(1, 2, 16, 10, signed: false, photometric: "MONOCHROME1").Element(0x7FE0, 0x0010, "OW", U16(0, 1023)));
        Assert.True(px.Description.IsMonochrome1);
        Assert.Equal([0, 1023], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_PlanarRgb_InterleavesSamples()
    {
        var px = Pixels(File().Image(1, 2, 8, 8, signed: false, photometric: "RGB", samples: 3, planar: 1)
            .Element(0x7FE0, 0x0010, "OB", [10, 20, 30, 40, 50, 60]));
        Assert.Equal([10, 30, 50, 20, 40, 60], px.GetStoredFrame(0));
    }

    [Fact]
    public void GetStoredFrame_ExplicitBigEndian16Bit_SwapsSamples()
    {
        var b = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRBigEndian);
        b.BigEndian = true;
        b.Image(1, 2, 16, 16, signed: true).Element(0x7FE0, 0x0010, "OW", [0x01, 0x02, 0xF8, 0x30]);
        Assert.Equal([0x0102, -2000], Pixels(b).GetStoredFrame(0));
    }

    [Fact]
    public void PixelPaddingValue_ImplicitVrWithSignedPixels_IsReadAsSigned()
    {
        var b = new DicomBytesBuilder(explicitVr: false).Image(1, 1, 16, 16, signed: true)
            .Element(0x0028, 0x0120, "US", U16(0xF830)).Element(0x7FE0, 0x0010, "OW", U16(0xF830));
        var px = Pixels(b);
        Assert.Equal(-2000, px.PixelPaddingValue);
        Assert.Equal([-2000], px.GetStoredFrame(0));
    }

    [Fact]
    public void PixelPaddingValue_UnsignedPixels_IsReadAsUnsigned()
    {
        var px = Pixels(File().Image(1, 1, 16, 12, signed: false).Element(0x0028, 0x0120, "US", U16(0xF830)).Element(0x7FE0, 0x0010, "OW", U16(0)));
        Assert.Equal(63536, px.PixelPaddingValue);
    }

    [Fact]
    public void Create_UnknownEncapsulatedSyntax_RaisesUnsupportedNamingTheSyntax()
    {
        var b = new DicomBytesBuilder().Preamble().Meta("1.2.826.0.1.3680043.999.1").Image(2, 2, 8, 8, signed: false)
            .Encapsulated([], [1, 2, 3, 4]);
        var error = Assert.Throws<UnsupportedTransferSyntaxException>(() => Pixels(b));
        Assert.Equal("1.2.826.0.1.3680043.999.1", error.TransferSyntaxUid);
        Assert.Contains("1.2.826.0.1.3680043.999.1", error.Message);
        Assert.Equal("px.dcm", error.Path);
    }

    [Fact]
    public void Create_EncapsulatedPixelsInNativeSyntax_FailsAsFormatError()
    {
        var b = File().Image(2, 2, 8, 8, signed: false).Encapsulated([], [1, 2, 3, 4]);
        var error = Assert.Throws<DicomFormatException>(() => Pixels(b));
        Assert.Contains("encapsulated although the transfer syntax is Explicit VR Little Endian", error.Reason);
    }

    [Fact]
    public void Create_NoPixelData_FailsWithReason()
    {
        var error = Assert.Throws<DicomFormatException>(() => Pixels(File().Image(2, 2, 8, 8, signed: false)));
        Assert.Contains("no Pixel Data", error.Reason);
    }
}
