using System.Buffers.Binary;
using System.Text;
using Ich.Dicom.Model;

namespace Ich.Dicom.Tests.Hu;

/// <summary>Builds small data sets element by element (values little-endian, text padded to even length).</summary>
internal static class HandBuilt
{
    public static DicomDataset Image(int bitsStored, int pixelRepresentation, string? slope = "1", string? intercept = "0",
        int bitsAllocated = 16, int rows = 1, int columns = 5)
    {
        var ds = new DicomDataset();
        ds.Set(Text(DicomTags.Modality, DicomVR.CS, "CT"));
        ds.Set(US(DicomTags.Rows, (ushort)rows));
        ds.Set(US(DicomTags.Columns, (ushort)columns));
        ds.Set(US(DicomTags.BitsAllocated, (ushort)bitsAllocated));
        ds.Set(US(DicomTags.BitsStored, (ushort)bitsStored));
        ds.Set(US(DicomTags.HighBit, (ushort)(bitsStored - 1)));
        ds.Set(US(DicomTags.PixelRepresentation, (ushort)pixelRepresentation));
        if (slope is not null) ds.Set(Text(DicomTags.RescaleSlope, DicomVR.DS, slope));
        if (intercept is not null) ds.Set(Text(DicomTags.RescaleIntercept, DicomVR.DS, intercept));
        return ds;
    }

    public static DicomElement US(DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return new DicomElement(tag, DicomVR.US, bytes);
    }

    public static DicomElement SS(DicomTag tag, short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, value);
        return new DicomElement(tag, DicomVR.SS, bytes);
    }

    public static DicomElement Text(DicomTag tag, DicomVR vr, string value)
    {
        if (value.Length % 2 == 1) value += " ";
        return new DicomElement(tag, vr, Encoding.ASCII.GetBytes(value));
    }
}
