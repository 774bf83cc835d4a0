using Ich.Core.Errors;
using Ich.Dicom.Codecs;
using Ich.Dicom.Codecs.Jpeg;
using Ich.Dicom.Codecs.Rle;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>
/// Malformed input must end in a <see cref="DicomFormatException"/> naming the file and the reason:
/// never another exception type, an index out of range, a hang or an oversized allocation.
/// </summary>
public sealed class HostileStreamTests
{
    public static TheoryData<string> FixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in CodecFixture.All) data.Add(f.Name);
        return data;
    }

    private static DicomFormatException AssertFormatError(CodecFixture f, byte[] stream, FrameInfo? info = null)
    {
        var e = Assert.Throws<DicomFormatException>(() => f.Decoder.Decode(stream, info ?? f.Info));
        Assert.Equal((info ?? f.Info).SourcePath, e.Path);
        return e;
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Decode_TruncatedStream_ThrowsFormatError(string name)
    {
        var f = CodecFixture.Get(name);
        // Every cut removes at least one byte of coded data: JPEG loses more than the trailing fill bytes
        // and EOI marker, RLE more than a possible pad byte.
        int longest = f.Stream.Length - 2;
        if (f.Stream[0] == 0xFF)
        {
            longest = f.Stream.AsSpan().LastIndexOf(new byte[] { 0xFF, 0xD9 });
            while (longest > 0 && f.Stream[longest - 1] == 0xFF) longest--;
            longest--;
        }
        foreach (var length in new[] { 0, 1, 2, 3, 10, 40, 64, 100, 200 }.Concat(Enumerable.Range(1, 12).Select(i => longest * i / 12)).Distinct())
        {
            if (length > longest) continue;
            var e = AssertFormatError(f, f.Stream[..length]);
            Assert.False(string.IsNullOrWhiteSpace(e.Reason));
        }
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Decode_RandomMutations_DecodeOrThrowFormatErrorOnly(string name)
    {
        var f = CodecFixture.Get(name);
        var random = new Random(1234);
        int expectedLength = f.Info.Rows * f.Info.Columns * f.Info.SamplesPerPixel * f.Info.BitsAllocated / 8;
        for (int trial = 0; trial < 150; trial++)
        {
            var stream = (byte[])f.Stream.Clone();
            int edits = 1 + random.Next(4);
            for (int k = 0; k < edits; k++) stream[random.Next(stream.Length)] = (byte)random.Next(256);
            try
            {
                Assert.Equal(expectedLength, f.Decoder.Decode(stream, f.Info).Length);
            }
            catch (DicomFormatException e)
            {
                Assert.Equal(f.Info.SourcePath, e.Path);
            }
        }
    }

    [Theory]
    [InlineData("rle_ct16")]
    [InlineData("jpegll_ct16_sv1")]
    [InlineData("baseline_mono8")]
    public void Decode_Garbage_ThrowsFormatError(string name)
    {
        var f = CodecFixture.Get(name);
        var garbage = new byte[5000];
        new Random(99).NextBytes(garbage);
        AssertFormatError(f, garbage);
        garbage[0] = 0xFF;
        garbage[1] = 0xD8; // SOI then noise
        AssertFormatError(f, garbage);
    }

    [Theory]
    [InlineData("rle_ct16")]
    [InlineData("jpegll_ct16_sv1")]
    [InlineData("extended_mono12")]
    public void Decode_HugeDeclaredFrame_ThrowsBeforeAllocating(string name)
    {
        var f = CodecFixture.Get(name);
        var huge = f.Info with { Rows = 65535, Columns = 65535, SamplesPerPixel = 3, BitsAllocated = 32, BitsStored = 32 };
        var e = AssertFormatError(f, f.Stream, huge);
        Assert.Contains("limit", e.Reason);
    }

    [Theory]
    [InlineData("jpegll_ct16_sv1")]
    [InlineData("baseline_mono8")]
    public void Decode_DatasetGeometryDiffersFromFrameHeader_ThrowsFormatError(string name)
    {
        var f = CodecFixture.Get(name);
        var e = AssertFormatError(f, f.Stream, f.Info with { Rows = f.Info.Rows + 1 });
        Assert.Contains("the dataset says", e.Reason);
    }

    [Theory]
    [InlineData("jpegll_ct16_sv1")]
    [InlineData("baseline_mono8")]
    public void Decode_HuffmanTableIndexOutOfRange_ThrowsFormatError(string name)
    {
        var f = CodecFixture.Get(name);
        var stream = (byte[])f.Stream.Clone();
        int dht = IndexOfMarker(stream, 0xC4);
        stream[dht + 4] = (byte)((stream[dht + 4] & 0xF0) | 0x07); // table index 7 (only 0..3 exist)
        var e = AssertFormatError(f, stream);
        Assert.Contains("out of range", e.Reason);
    }

    [Fact]
    public void Decode_ProgressiveStreamUnderBaselineSyntax_ThrowsNamingTheProcess()
    {
        var f = CodecFixture.Get("baseline_mono8");
        var stream = (byte[])f.Stream.Clone();
        stream[IndexOfMarker(stream, 0xC0) + 1] = 0xC2;
        var e = AssertFormatError(f, stream);
        Assert.Contains("progressive", e.Reason);
    }

    [Fact]
    public void Decode_HuffmanCodeNotInTable_ThrowsFormatError()
    {
        // 2×1 8-bit lossless frame whose only Huffman code is "0"; the data starts with a 1 bit.
        byte[] stream =
        [
            0xFF, 0xD8,
            0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xC4, 0x00, 0x14, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00,
            0xC0,
            0xFF, 0xD9,
        ];
        var info = new FrameInfo(1, 2, 1, 8, 8, false, 0, "hand-made.jpg");
        var e = Assert.Throws<DicomFormatException>(() => new JpegLosslessDecoder().Decode(stream, info));
        Assert.Contains("Huffman code not found", e.Reason);
        Assert.Equal("hand-made.jpg", e.Path);
    }

    [Fact]
    public void Decode_HandMadeLosslessStream_GivesHandComputedSamples()
    {
        // Same frame, data bits "0 0" = two zero differences: sample 0 = 2^(8-0-1) = 128, sample 1 = Ra = 128.
        byte[] stream =
        [
            0xFF, 0xD8,
            0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xC4, 0x00, 0x14, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00,
            0x3F,
            0xFF, 0xD9,
        ];
        var decoded = new JpegLosslessDecoder().Decode(stream, new FrameInfo(1, 2, 1, 8, 8, false, 0, "hand-made.jpg"));
        Assert.Equal(new byte[] { 128, 128 }, decoded);
    }

    [Fact]
    public void Decode_RleSegmentCountDiffersFromGeometry_ThrowsFormatError()
    {
        var f = CodecFixture.Get("rle_ct16");
        var stream = (byte[])f.Stream.Clone();
        stream[0] = 3;
        Assert.Contains("segments", AssertFormatError(f, stream).Reason);
    }

    [Fact]
    public void Decode_RleSegmentOffsetOutsideFrame_ThrowsFormatError()
    {
        var f = CodecFixture.Get("rle_ct16");
        var stream = (byte[])f.Stream.Clone();
        BitConverter.TryWriteBytes(stream.AsSpan(8), 0x7FFFFFF0);
        Assert.Contains("outside the frame", AssertFormatError(f, stream).Reason);
        BitConverter.TryWriteBytes(stream.AsSpan(8), 10); // inside the header
        Assert.Contains("outside the frame", AssertFormatError(f, stream).Reason);
    }

    [Fact]
    public void Decode_RleHandMadeSegments_GiveHandComputedBytes()
    {
        // 1×5 16-bit: high bytes via a replicate run (-4 → 5 × 0x01), low bytes via a literal run of 5.
        var stream = new byte[64 + 2 + 6];
        stream[0] = 2;
        stream[4] = 64;
        stream[8] = 66;
        stream[64] = 0xFC; stream[65] = 0x01;
        stream[66] = 0x04; stream[67] = 10; stream[68] = 20; stream[69] = 30; stream[70] = 40; stream[71] = 50;
        var decoded = new RleDecoder().Decode(stream, new FrameInfo(1, 5, 1, 16, 16, false, 0, "hand.rle"));
        Assert.Equal(new byte[] { 10, 1, 20, 1, 30, 1, 40, 1, 50, 1 }, decoded);
    }

    [Fact]
    public void Decode_RleSegmentTooShort_ThrowsFormatError()
    {
        var stream = new byte[64 + 2];
        stream[0] = 1;
        stream[4] = 64;
        stream[64] = 0xFE; stream[65] = 7; // 3 bytes, 5 needed
        var e = Assert.Throws<DicomFormatException>(() => new RleDecoder().Decode(stream, new FrameInfo(1, 5, 1, 8, 8, false, 0, "short.rle")));
        Assert.Contains("decodes to 3 bytes", e.Reason);
    }

    [Theory]
    [InlineData("jpegll_mono12_sv7_restart2rows")]
    [InlineData("baseline_mono8_restart")]
    public void Decode_RestartMarkerOutOfSequence_ThrowsFormatError(string name)
    {
        var f = CodecFixture.Get(name);
        var stream = (byte[])f.Stream.Clone();
        int rst = IndexOfMarker(stream, 0xD0);
        stream[rst + 1] = 0xD3; // RST3 where RST0 belongs
        var e = AssertFormatError(f, stream);
        Assert.Contains("expected restart marker RST0", e.Reason);
    }

    [Fact]
    public void Decode_JpegLsNearBeyondRange_ThrowsFormatError()
    {
        var f = CodecFixture.Get("jls_mono8_preset");
        var stream = (byte[])f.Stream.Clone();
        int sos = IndexOfMarker(stream, 0xDA);
        stream[sos + 7] = 200; // NEAR 200 with MAXVAL 255
        Assert.Contains("NEAR", AssertFormatError(f, stream).Reason);
    }

    [Fact]
    public void Decode_JpegLsMappingTableSegment_ThrowsNotSupported()
    {
        var f = CodecFixture.Get("jls_mono8_preset");
        var stream = (byte[])f.Stream.Clone();
        stream[IndexOfMarker(stream, 0xF8) + 4] = 2; // LSE id 2: mapping table
        Assert.Contains("LSE id 2", AssertFormatError(f, stream).Reason);
    }

    [Fact]
    public void Decode_JpegLsStreamUnderLosslessJpegSyntax_ThrowsNamingTheProcess()
    {
        var ls = CodecFixture.Get("jls_ct16");
        var e = Assert.Throws<DicomFormatException>(() => new JpegLosslessDecoder().Decode(ls.Stream, ls.Info));
        Assert.Contains("JPEG-LS", e.Reason);
    }

    private static int IndexOfMarker(byte[] stream, byte marker)
    {
        for (int i = 0; i + 1 < stream.Length; i++)
            if (stream[i] == 0xFF && stream[i + 1] == marker) return i;
        throw new InvalidOperationException($"marker {marker:X2} not found");
    }
}
