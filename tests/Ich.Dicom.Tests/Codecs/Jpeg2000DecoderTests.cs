using System.Buffers.Binary;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Dicom.Codecs;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>
/// JPEG 2000 and HTJ2K through OpenJPEG on the committed fixtures (tests/fixtures/jpeg2000, made by
/// tools/codecs/make_jpeg2000_fixtures.sh with OpenJPEG's, OpenJPH's and GDCM's encoders): lossless streams
/// against the original pixels or pydicom's hash, lossy ones against GDCM's or OpenJPH's decode; geometry mismatches, broken streams and the "library
/// absent" path. The tests that need libopenjp2.so.7 skip by name when it is not installed.
/// </summary>
public sealed class Jpeg2000DecoderTests
{
    private const string Lossless = "1.2.840.10008.1.2.4.90";
    private const string Lossy = "1.2.840.10008.1.2.4.91";
    private static string Dir => Path.Combine(RepoPaths.Fixtures, "jpeg2000");

    private static IFrameDecoder RequireDecoder()
    {
        Skip.If(FrameDecoders.OpenJpegVersion is null,
            "skipped: OpenJPEG (libopenjp2.so.7) is not installed here: apt-get install libopenjp2-7");
        return FrameDecoders.Find(Lossless)!;
    }

    public static TheoryData<string> CodestreamNames()
    {
        var data = new TheoryData<string>();
        foreach (var row in Index().Rows) data.Add(row[0]);
        return data;
    }

    private static CsvTable Index() => CsvTable.Read(Path.Combine(Dir, "index.csv"));

    private sealed record Fixture(byte[] Stream, FrameInfo Info, byte[] Expected, string TransferSyntax, int Tolerance);

    private static Fixture Codestream(string name)
    {
        var table = Index();
        var row = table.Rows.Single(r => r[0] == name);
        int Int(string column) => int.Parse(row[table.Require(column)]);
        var info = new FrameInfo(Int("rows"), Int("cols"), Int("samples"), Int("bits_allocated"), Int("bits_stored"),
            Int("signed") == 1, 0, name, row[table.Require("photometric")]);
        return new Fixture(File.ReadAllBytes(Path.Combine(Dir, name + ".bin")), info,
            File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, row[table.Require("reference")])),
            row[table.Require("transfer_syntax")], Int("tolerance"));
    }

    [SkippableFact]
    public void FrameDecoders_Jpeg2000AndHtj2kSyntaxes_RegisteredWhenOpenJpegLoads()
    {
        var decoder = RequireDecoder();
        foreach (var uid in new[] { Lossy, "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" })
            Assert.Same(decoder, FrameDecoders.Find(uid));
        Assert.StartsWith("2.", FrameDecoders.OpenJpegVersion);
        Assert.Null(FrameDecoders.MissingLibraryHint(Lossless));
    }

    [SkippableTheory]
    [MemberData(nameof(CodestreamNames))]
    public void Decode_Codestream_MatchesReferenceWithinTolerance(string name)
    {
        RequireDecoder();
        var f = Codestream(name);
        var decoded = FrameDecoders.Find(f.TransferSyntax)!.Decode(f.Stream, f.Info);
        Assert.Equal(f.Expected.Length, decoded.Length);
        if (f.Tolerance == 0)
        {
            Assert.Equal(f.Expected, decoded); // lossless: the original pixels, bit for bit
            return;
        }
        // Lossy (HTJ2K irreversible): against OpenJPH's own decoder; 16-bit signed samples.
        var worst = 0;
        for (var i = 0; i < decoded.Length; i += 2)
            worst = Math.Max(worst, Math.Abs(BinaryPrimitives.ReadInt16LittleEndian(decoded.AsSpan(i)) - BinaryPrimitives.ReadInt16LittleEndian(f.Expected.AsSpan(i))));
        Assert.True(worst <= f.Tolerance, $"{name}: largest difference from the reference decoder {worst} > {f.Tolerance}");
    }

    [SkippableFact]
    public void Read_LosslessDicomFixture_MatchesPydicomHashOfTheOriginal()
    {
        RequireDecoder();
        var expected = CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "dicom", "expected.csv"));
        var original = expected.Rows.Single(r => r[0] == "MR_small_implicit.dcm")[expected.Require("pixel_sha256")];

        var file = DicomFileReader.Read(Path.Combine(Dir, "MR_small_j2k.dcm"));
        Assert.Equal(Lossless, file.TransferSyntaxUid);
        Assert.Equal(original, StoredPixelHash.Compute(DicomPixelData.Create(file)));
    }

    [SkippableFact]
    public void Read_LossyDicomFixture_MatchesGdcmDecodeAndDiffersFromTheOriginal()
    {
        RequireDecoder();
        var file = DicomFileReader.Read(Path.Combine(Dir, "MR_small_j2ki.dcm"));
        Assert.Equal(Lossy, file.TransferSyntaxUid);
        var decoded = DicomPixelData.Create(file).GetStoredFrame(0);
        var gdcm = File.ReadAllBytes(Path.Combine(Dir, "MR_small_j2ki.gdcm.raw"));
        var original = DicomPixelData.Create(DicomFileReader.Read(Path.Combine(RepoPaths.Fixtures, "dicom", "MR_small_implicit.dcm"))).GetStoredFrame(0);

        Assert.Equal(gdcm.Length / 2, decoded.Length);
        int worstVsGdcm = 0, worstVsOriginal = 0;
        for (var i = 0; i < decoded.Length; i++)
        {
            worstVsGdcm = Math.Max(worstVsGdcm, Math.Abs(decoded[i] - BinaryPrimitives.ReadInt16LittleEndian(gdcm.AsSpan(2 * i))));
            worstVsOriginal = Math.Max(worstVsOriginal, Math.Abs(decoded[i] - original[i]));
        }
        // Both use OpenJPEG's inverse 9/7 wavelet; allow one unit for a different library build's rounding.
        Assert.True(worstVsGdcm <= 1, $"largest difference from GDCM's decode: {worstVsGdcm}");
        // GDCM's decode differs from the original by up to 155 (see SOURCES.md): the lossy path really ran.
        Assert.InRange(worstVsOriginal, 100, 200);
    }

    [Theory]
    [InlineData("2.5.0", true)]
    [InlineData("2.5.3", true)]
    [InlineData("2.4.0", false)]
    [InlineData("2.3.1", false)]
    [InlineData("not a version", false)]
    public void SupportsHighThroughput_ByOpenJpegVersion(string version, bool expected) =>
        Assert.Equal(expected, Ich.Dicom.Codecs.Jpeg2000.Jpeg2000Decoder.SupportsHighThroughput(version));

    [Fact]
    public void Create_OpenJpegAbsent_UnsupportedWithInstallHint()
    {
        // A set whose OpenJPEG name cannot load: what a machine without libopenjp2-7 sees.
        var absent = FrameDecoderSet.Create(["libopenjp2-not-installed.so.7"]);
        Assert.Null(absent.Find(Lossless));
        Assert.Null(absent.Find(Lossy));
        Assert.Null(absent.OpenJpegVersion);
        Assert.NotNull(absent.Find("1.2.840.10008.1.2.5")); // the own-code decoders are unaffected

        var path = Path.Combine(Dir, "MR_small_j2k.dcm");
        var e = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomPixelData.Create(DicomFileReader.Read(path), absent));
        Assert.Equal(Lossless, e.TransferSyntaxUid);
        Assert.Equal(path, e.Path);
        Assert.Contains("apt-get install libopenjp2-7", e.Message);
        Assert.Contains("libopenjp2-not-installed.so.7", e.Hint);
        Assert.Null(absent.Find("1.2.840.10008.1.2.4.201")); // HTJ2K goes through OpenJPEG too
        Assert.NotNull(absent.MissingLibraryHint("1.2.840.10008.1.2.4.203"));
        // Other unsupported syntaxes carry no install hint: nothing to install makes them decodable.
        Assert.Null(absent.MissingLibraryHint("1.2.840.10008.1.2.4.55"));
    }

    [SkippableFact]
    public void Decode_GeometryDiffersFromHeader_RefusedNamingBoth()
    {
        var decoder = RequireDecoder();
        var (stream, info) = (Codestream("j2k_mono8").Stream, Codestream("j2k_mono8").Info);
        var rows = Assert.Throws<DicomFormatException>(() => decoder.Decode(stream, info with { Rows = 44 }));
        Assert.Contains("61×45", rows.Reason);
        Assert.Contains("61×44", rows.Reason);
        Assert.Equal("j2k_mono8", rows.Path);
        var samples = Assert.Throws<DicomFormatException>(() => decoder.Decode(stream, info with { SamplesPerPixel = 3 }));
        Assert.Contains("1 component(s) but SamplesPerPixel is 3", samples.Reason);
        var (rgb, rgbInfo) = (Codestream("j2k_rgb8").Stream, Codestream("j2k_rgb8").Info);
        var grey = Assert.Throws<DicomFormatException>(() => decoder.Decode(rgb, rgbInfo with { SamplesPerPixel = 1 }));
        Assert.Contains("3 component(s)", grey.Reason);
    }

    [SkippableFact]
    public void Decode_PrecisionAboveBitsAllocated_Refused()
    {
        var decoder = RequireDecoder();
        var frame = EncapsulatedFrames.Read(Path.Combine(Dir, "MR_small_j2k.dcm"), 1)[0];
        var info = new FrameInfo(64, 64, 1, 8, 8, true, 0, "MR_small_j2k.dcm");
        var e = Assert.Throws<DicomFormatException>(() => decoder.Decode(frame, info));
        Assert.Contains("16-bit precision", e.Reason);
    }

    [SkippableFact]
    public void Decode_NotACodestream_RefusedNamingTheFirstBytes()
    {
        var decoder = RequireDecoder();
        var info = Codestream("j2k_mono8").Info;
        var e = Assert.Throws<DicomFormatException>(() => decoder.Decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0], info));
        Assert.Contains("FFD8FFE0", e.Reason);
        Assert.Contains("too short", Assert.Throws<DicomFormatException>(() => decoder.Decode([0xFF, 0x4F], info)).Reason);
    }

    [SkippableFact]
    public void Decode_TruncatedCodestreams_TypedErrorNeverCrash()
    {
        var decoder = RequireDecoder();
        var (stream, info) = (Codestream("j2k_rgb8").Stream, Codestream("j2k_rgb8").Info);
        // Cut inside the main header, in the first tile-part header, and in the packet data.
        foreach (var length in new[] { 6, 40, 120, stream.Length / 2, stream.Length - 10 })
        {
            var e = Assert.Throws<DicomFormatException>(() => decoder.Decode(stream.AsSpan(0, length), info));
            Assert.StartsWith("JPEG 2000:", e.Reason);
        }
    }

    [SkippableTheory]
    [InlineData("j2k_mono8")]
    [InlineData("ht_mono16s")]
    public void Decode_RandomlyMutatedCodestreams_DecodeOrTypedError(string name)
    {
        var decoder = RequireDecoder();
        var (stream, info) = (Codestream(name).Stream, Codestream(name).Info);
        var random = new Random(20261202);
        var expectedLength = info.Rows * info.Columns * info.BitsAllocated / 8;
        var failures = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var mutated = (byte[])stream.Clone();
            for (var k = 0; k < 1 + trial % 4; k++) mutated[random.Next(4, mutated.Length)] = (byte)random.Next(256);
            try
            {
                Assert.Equal(expectedLength, decoder.Decode(mutated, info).Length);
            }
            catch (DicomFormatException)
            {
                failures++;
            }
        }
        Assert.InRange(failures, 1, 300); // some mutations must be caught, and nothing else may escape
    }

    [SkippableFact]
    public void Decode_ConcurrentCalls_SameBytesAsSequential()
    {
        var decoder = RequireDecoder();
        var streams = Index().Rows.Select(r => Codestream(r[0])).ToArray();
        var sequential = streams.Select(s => decoder.Decode(s.Stream, s.Info)).ToArray();
        var parallel = new byte[streams.Length * 16][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = decoder.Decode(streams[i % streams.Length].Stream, streams[i % streams.Length].Info));
        for (var i = 0; i < parallel.Length; i++) Assert.Equal(sequential[i % streams.Length], parallel[i]);
    }
}
