using System.IO.Compression;
using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Tests.Reading;

public sealed class DicomFileReaderTests
{
    private static DicomBytesBuilder Patient(DicomBytesBuilder b) => b
        .Text(0x0008, 0x0018, "UI", "1.2.3.4.5")
        .Text(0x0008, 0x0060, "CS", "CT")
        .Text(0x0020, 0x000D, "UI", "1.2.3.9");

    [Fact]
    public void Read_ExplicitLittleWithPreambleAndMeta_ReadsMetaAndDataSet()
    {
        var bytes = Patient(new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian))
            .US(0x0028, 0x0010, 512).ToArray();
        var file = DicomFileReader.Read(bytes, "mem.dcm");
        Assert.True(file.HasPreamble);
        Assert.True(file.HasFileMeta);
        Assert.False(file.TransferSyntaxInferred);
        Assert.Equal(TransferSyntaxes.ExplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal("1.2.3.4.5", file.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal(512, file.Dataset.GetInt(DicomTags.Rows));
    }

    [Fact]
    public void Read_ImplicitWithoutPreambleOrMeta_InfersImplicitLittleEndian()
    {
        var bytes = Patient(new DicomBytesBuilder(explicitVr: false)).US(0x0028, 0x0010, 300).ToArray();
        var file = DicomFileReader.Read(bytes, "mem.dcm");
        Assert.False(file.HasPreamble);
        Assert.False(file.HasFileMeta);
        Assert.True(file.TransferSyntaxInferred);
        Assert.Equal(TransferSyntaxes.ImplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal(DicomVR.US, file.Dataset.Get(DicomTags.Rows)!.VR); // VR from the dictionary
        Assert.Equal(300, file.Dataset.GetInt(DicomTags.Rows));
    }

    [Fact]
    public void Read_ExplicitBigEndian_SwapsBinaryValuesToLittleEndian()
    {
        var b = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRBigEndian);
        b.BigEndian = true;
        var bytes = Patient(b).US(0x0028, 0x0010, 0x0102, 0x0304).ToArray();
        var file = DicomFileReader.Read(bytes, "be.dcm");
        Assert.Equal(new double[] { 0x0102, 0x0304 }, file.Dataset.GetNumbers(DicomTags.Rows));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void Read_ExplicitBigEndianWithoutMeta_InfersBigEndian()
    {
        var bytes = Patient(new DicomBytesBuilder(bigEndian: true)).US(0x0028, 0x0010, 77).ToArray();
        var file = DicomFileReader.Read(bytes, "be.dcm");
        Assert.Equal(TransferSyntaxes.ExplicitVRBigEndian, file.TransferSyntaxUid);
        Assert.Equal(77, file.Dataset.GetInt(DicomTags.Rows));
    }

    [Fact]
    public void Read_NestedSequencesOfDefinedAndUndefinedLength_KeepsItems()
    {
        // Outer SQ undefined length: item 1 undefined length holding a defined-length inner SQ; item 2 defined length.
        var pvtElement = new DicomBytesBuilder().Text(0x0028, 0x1052, "DS", "-1024").ToArray();
        var inner = new DicomBytesBuilder().Item((uint)pvtElement.Length).Raw(pvtElement).ToArray();
        var item2 = new DicomBytesBuilder().Text(0x0028, 0x1053, "DS", "2").ToArray();
        var b = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian)
            .Header(0x5200, 0x9229, "SQ", DicomBytesBuilder.Undefined)
            .Item()
            .Header(0x0028, 0x9145, "SQ", (uint)inner.Length).Raw(inner)
            .ItemEnd()
            .Item((uint)item2.Length).Raw(item2)
            .SequenceEnd()
            .US(0x0028, 0x0010, 4);
        var file = DicomFileReader.Read(b.ToArray(), "sq.dcm");
        var items = file.Dataset.GetItems(DicomTags.SharedFunctionalGroupsSequence);
        Assert.Equal(2, items.Count);
        var pvt = items[0].GetItems(DicomTags.PixelValueTransformationSequence);
        Assert.Single(pvt);
        Assert.Equal(-1024, pvt[0].GetNumber(DicomTags.RescaleIntercept));
        Assert.Equal(2, items[1].GetNumber(DicomTags.RescaleSlope));
        Assert.Equal(4, file.Dataset.GetInt(DicomTags.Rows)); // parsing resumed after the sequence
    }

    [Fact]
    public void Read_PrivateUnOfUndefinedLength_ParsesImplicitLittleEndianContent()
    {
        var implicitItem = new DicomBytesBuilder(explicitVr: false).Text(0x0029, 0x1010, "LO", "hello").ToArray();
        var b = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian)
            .Text(0x0029, 0x0010, "LO", "ACME")
            .Header(0x0029, 0x1020, "UN", DicomBytesBuilder.Undefined)
            .Item((uint)implicitItem.Length);
        b.Raw(implicitItem);
        b.ExplicitVr = false;
        b.SequenceEnd();
        b.ExplicitVr = true;
        b.US(0x0028, 0x0010, 9);
        var file = DicomFileReader.Read(b.ToArray(), "un.dcm");
        var seq = file.Dataset.Get(new DicomTag(0x0029, 0x1020))!;
        Assert.Equal(DicomVR.SQ, seq.VR);
        Assert.Equal("hello", seq.Items![0].GetString(new DicomTag(0x0029, 0x1010)));
        Assert.Equal(9, file.Dataset.GetInt(DicomTags.Rows));
    }

    [Fact]
    public void Read_MultiValuedZeroPaddedString_ReadsEachValue()
    {
        var bytes = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian)
            .Text(0x0028, 0x1050, "DS", "00040\\00040").Text(0x0028, 0x1051, "DS", "00080\\00080").ToArray();
        var ds = DicomFileReader.Read(bytes, "wc.dcm").Dataset;
        Assert.Equal("00040", ds.GetString(DicomTags.WindowCenter));
        Assert.Equal(new double[] { 40, 40 }, ds.GetNumbers(DicomTags.WindowCenter));
        Assert.Equal(80, ds.GetNumber(DicomTags.WindowWidth, 1));
    }

    [Fact]
    public void Read_DeflatedExplicitLittle_InflatesDataSet()
    {
        var body = Patient(new DicomBytesBuilder()).US(0x0028, 0x0010, 42).ToArray();
        var deflated = new MemoryStream();
        using (var z = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) z.Write(body);
        var bytes = new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.DeflatedExplicitVRLittleEndian).Raw(deflated.ToArray()).ToArray();
        var file = DicomFileReader.Read(bytes, "dfl.dcm");
        Assert.Equal(42, file.Dataset.GetInt(DicomTags.Rows));
        Assert.Equal("1.2.3.4.5", file.Dataset.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Read_HeaderOnly_StopsBeforePixelDataWithoutReadingIt()
    {
        // 300 KB of header (private OB) then pixel data claiming 100 MB that the file does not hold:
        // a full read must fail; a header-only read never looks at those bytes.
        var path = Path.Combine(RepoPathsTemp(), "big-header.dcm");
        var bytes = Patient(new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian))
            .Element(0x0029, 0x1000, "OB", new byte[300_000])
            .US(0x0028, 0x0010, 64)
            .Header(0x7FE0, 0x0010, "OW", 100_000_000).Raw(new byte[1000]).ToArray();
        File.WriteAllBytes(path, bytes);
        var header = DicomFileReader.Read(path, DicomReadOptions.Header);
        Assert.True(header.IsHeaderOnly);
        Assert.True(header.HasPixelData);
        Assert.False(header.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal(64, header.Dataset.GetInt(DicomTags.Rows));
        Assert.Equal(bytes.Length - 1000 - 12, header.PixelDataOffset);
        Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(path));
    }

    [Fact]
    public void Read_TrailingZeroPadding_IsIgnored()
    {
        var bytes = Patient(new DicomBytesBuilder().Preamble().Meta(TransferSyntaxes.ExplicitVRLittleEndian)).Raw(new byte[5]).ToArray();
        Assert.Equal("CT", DicomFileReader.Read(bytes, "pad.dcm").Dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void Read_MetaWithoutTransferSyntax_InfersFromDataSet()
    {
        var bytes = Patient(new DicomBytesBuilder(explicitVr: false).Preamble().Meta(null)).ToArray();
        var file = DicomFileReader.Read(bytes, "nots.dcm");
        Assert.True(file.TransferSyntaxInferred);
        Assert.Equal(TransferSyntaxes.ImplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }

    private static string RepoPathsTemp() => Ich.TestKit.RepoPaths.NewTempDir("ich-reader");
}
