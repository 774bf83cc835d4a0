using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Writing;

public class DicomWriterTests
{
    private static readonly string[] Syntaxes = [TransferSyntaxes.ExplicitVRLittleEndian, TransferSyntaxes.ImplicitVRLittleEndian];

    [Fact]
    public void FromUuidBytes_AllOnes_IsTwoToThe128MinusOne()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        // 2^128 - 1, by hand: 340282366920938463463374607431768211455
        Assert.Equal("2.25.340282366920938463463374607431768211455", DicomUids.FromUuidBytes(bytes));
    }

    [Fact]
    public void FromSeed_SameSeedAndName_SameValidUid()
    {
        var a = DicomUids.FromSeed(42, "scan/1/series");
        Assert.Equal(a, DicomUids.FromSeed(42, "scan/1/series"));
        Assert.NotEqual(a, DicomUids.FromSeed(43, "scan/1/series"));
        Assert.NotEqual(a, DicomUids.FromSeed(42, "scan/2/series"));
        Assert.StartsWith("2.25.", a);
        Assert.True(DicomUids.IsValid(a) && a.Length <= 64, a);
        Assert.NotEqual(DicomUids.NewRandom(), DicomUids.NewRandom());
        Assert.True(DicomUids.IsValid(DicomUids.NewRandom()));
    }

    [Theory]
    [InlineData(1.0 / 3.0)]
    [InlineData(-123456.7890123)]
    [InlineData(0.48828125)]
    public void FormatDecimal_AnyValue_FitsSixteenCharactersAndRoundTrips(double value)
    {
        var s = DicomElements.FormatDecimal(value);
        Assert.True(s.Length <= 16, s);
        Assert.Equal(value, double.Parse(s, CultureInfo.InvariantCulture), 1e-9 * Math.Max(1, Math.Abs(value)));
    }

    [Fact]
    public void ToBytes_FileMeta_HasPreambleMagicAndComputedGroupLength()
    {
        var bytes = DicomFileWriter.ToBytes(CtTestImage.Dataset(signed: true, out _), TransferSyntaxes.ImplicitVRLittleEndian);
        Assert.All(bytes[..128], b => Assert.Equal(0, b));
        Assert.Equal("DICM", Encoding.ASCII.GetString(bytes, 128, 4));
        // (0002,0000) UL 4 <length>: the length counts the bytes from after this element to the first non-0002 tag.
        Assert.Equal(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(132)));
        Assert.Equal("UL", Encoding.ASCII.GetString(bytes, 136, 2));
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        var afterLength = 144;
        var next = afterLength + (int)groupLength;
        Assert.NotEqual(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(next)));
        // The last meta element ends exactly there: walk the explicit-VR meta elements by hand.
        var pos = afterLength;
        while (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos)) == 0x0002)
        {
            var vr = Encoding.ASCII.GetString(bytes, pos + 4, 2);
            pos += vr is "OB" ? 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8))
                              : 8 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 6));
        }
        Assert.Equal(next, pos);
        // Implicit VR body: the first dataset element (0008,0005) has no VR letters, a 4-byte length.
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(next)));
        Assert.Equal(0x0005, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(next + 2)));
        Assert.Equal(10u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(next + 4))); // "ISO_IR 100" (10 bytes)
    }

    [Fact]
    public void ToBytes_OddLengthValues_ArePaddedToEvenLength()
    {
        var ds = new DicomDataset().With(
            DicomElements.Uid(DicomTags.SOPClassUID, "1.2.3"),
            DicomElements.Uid(DicomTags.SOPInstanceUID, "1.2.3.4"),
            DicomElements.Text(DicomTags.PatientID, DicomVR.LO, "ABC"));
        var bytes = DicomFileWriter.ToBytes(ds, TransferSyntaxes.ExplicitVRLittleEndian);
        var tail = bytes[^12..];
        // (0010,0020) LO length 4 "ABC "
        Assert.Equal(new byte[] { 0x10, 0, 0x20, 0, (byte)'L', (byte)'O', 4, 0, (byte)'A', (byte)'B', (byte)'C', (byte)' ' }, tail);
        var uidEnd = Array.IndexOf(bytes, (byte)'4', 300);
        Assert.Equal(0, bytes[uidEnd + 1]); // "1.2.3.4" padded with NUL
    }

    [SkippableFact]
    public void Write_CtImageBothSyntaxesBothEncodings_PassesDciodvfy()
    {
        ExternalTools.RequireDciodvfy();
        var dir = RepoPaths.NewTempDir("ich-writer");
        foreach (var syntax in Syntaxes)
            foreach (var signed in new[] { true, false })
            {
                var path = Path.Combine(dir, $"ct-{signed}-{syntax}.dcm");
                DicomFileWriter.Write(path, CtTestImage.Dataset(signed, out _), syntax);
                var (code, errors, output) = ExternalTools.Dciodvfy(path);
                Assert.True(code == 0 && errors.Length == 0, $"{path}:\n{output}");
            }
        Directory.Delete(dir, true);
    }

    [SkippableFact]
    public void Write_CtImage_PydicomReadsIdenticalPixelsAndTags()
    {
        ExternalTools.RequirePydicom();
        var dir = RepoPaths.NewTempDir("ich-writer");
        var expected = new List<(string Path, short[] Pixels, bool Signed, string Syntax)>();
        foreach (var syntax in Syntaxes)
            foreach (var signed in new[] { true, false })
            {
                var path = Path.Combine(dir, $"ct-{signed}-{expected.Count}.dcm");
                DicomFileWriter.Write(path, CtTestImage.Dataset(signed, out var pixels), syntax);
                expected.Add((path, pixels, signed, syntax));
            }
        var dumps = ExternalTools.PydicomDump(expected.Select(e => e.Path));
        Assert.Equal(expected.Count, dumps.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (_, pixels, signed, syntax) = expected[i];
            var d = dumps[i];
            Assert.Equal(syntax, d.GetProperty("transfer_syntax").GetString());
            Assert.Equal(Sha256Le(pixels), d.GetProperty("pixel_sha256").GetString());
            Assert.Equal(CtTestImage.Rows, d.GetProperty("Rows").GetString() is { } r ? int.Parse(r) : -1);
            Assert.Equal(CtTestImage.Columns, int.Parse(d.GetProperty("Columns").GetString()!));
            Assert.Equal(signed ? "1" : "0", d.GetProperty("PixelRepresentation").GetString());
            Assert.Equal(signed ? "16" : "12", d.GetProperty("BitsStored").GetString());
            Assert.Equal("-1024", d.GetProperty("RescaleIntercept").GetString());
            Assert.Equal(["00040", "00040"], Strings(d.GetProperty("WindowCenter")));
            Assert.Equal(["-125.5", "-130.25", "42.5"], Strings(d.GetProperty("ImagePositionPatient")));
            Assert.Equal(CtTestImage.SopUid, d.GetProperty("SOPInstanceUID").GetString());
            Assert.Equal("", d.GetProperty("InstanceNumber").GetString() ?? "");
        }
        Directory.Delete(dir, true);
    }

    [SkippableFact]
    public void Write_Sequence_PydicomReadsItemsInBothSyntaxes()
    {
        ExternalTools.RequirePydicom();
        var dir = RepoPaths.NewTempDir("ich-writer");
        var referenced = new DicomTag(0x0008, 0x1140);
        var refSop = new DicomTag(0x0008, 0x1155);
        var refClass = new DicomTag(0x0008, 0x1150);
        var paths = new List<string>();
        foreach (var syntax in Syntaxes)
        {
            var ds = CtTestImage.Dataset(true, out _);
            ds.Set(DicomElements.Sequence(referenced,
                new DicomDataset().With(DicomElements.Uid(refClass, CtImageDataset.CtImageStorage), DicomElements.Uid(refSop, "1.2.3.4.5")),
                new DicomDataset().With(DicomElements.Uid(refClass, CtImageDataset.CtImageStorage), DicomElements.Uid(refSop, "1.2.3.4.6"))));
            var path = Path.Combine(dir, $"seq-{paths.Count}.dcm");
            DicomFileWriter.Write(path, ds, syntax);
            paths.Add(path);
        }
        foreach (var d in ExternalTools.PydicomDump(paths))
            Assert.Equal(["1.2.3.4.5", "1.2.3.4.6"], Strings(d.GetProperty("sequence")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ToBytes_MissingSopInstanceUid_Throws()
    {
        var ds = new DicomDataset().With(DicomElements.Uid(DicomTags.SOPClassUID, "1.2.3"));
        Assert.Throws<ArgumentException>(() => DicomFileWriter.ToBytes(ds, TransferSyntaxes.ExplicitVRLittleEndian));
    }

    [Fact]
    public void Build_ValuesBeyondBitsStored_Throws()
    {
        var d = CtTestImage.Description(signed: false);
        var pixels = new short[CtTestImage.Rows * CtTestImage.Columns];
        pixels[3] = 4096; // 12-bit unsigned holds 0..4095
        Assert.Throws<ArgumentException>(() => CtImageDataset.Build(d, pixels));
    }

    private static string[] Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [e.GetString()!];

    private static string Sha256Le(short[] pixels)
    {
        var bytes = new byte[pixels.Length * 2];
        for (var i = 0; i < pixels.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), pixels[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}

/// <summary>A small CT slice with a known pseudo-random pixel pattern for the writer tests.</summary>
internal static class CtTestImage
{
    public const int Rows = 24, Columns = 20;
    public static readonly string SopUid = DicomUids.FromSeed(7, "writer-test/sop");

    public static CtImageDescription Description(bool signed) => new()
    {
        PatientId = "TEST01",
        PatientName = "Test^Writer",
        StudyInstanceUid = DicomUids.FromSeed(7, "writer-test/study"),
        SeriesInstanceUid = DicomUids.FromSeed(7, "writer-test/series"),
        SopInstanceUid = SopUid,
        FrameOfReferenceUid = DicomUids.FromSeed(7, "writer-test/for"),
        Rows = Rows,
        Columns = Columns,
        PixelSpacing = (0.48828125, 0.48828125),
        ImagePosition = (-125.5, -130.25, 42.5),
        ImageOrientation = [1, 0, 0, 0, 1, 0],
        SliceThicknessMm = 5,
        Encoding = signed ? new CtPixelEncoding(16, true, -1024) : new CtPixelEncoding(12, false, -1024),
        WindowCenter = ["00040", "00040"],
        WindowWidth = ["00080", "00080"],
        InstanceNumber = null,
    };

    public static DicomDataset Dataset(bool signed, out short[] pixels)
    {
        var d = Description(signed);
        var rng = new Random(11);
        pixels = new short[Rows * Columns];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = signed ? (short)rng.Next(-2000, 3000) : (short)rng.Next(0, 4096);
        return CtImageDataset.Build(d, pixels);
    }
}
