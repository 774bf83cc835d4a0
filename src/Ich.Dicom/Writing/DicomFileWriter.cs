using System.Buffers.Binary;
using System.Text;
using Ich.Dicom.Model;

namespace Ich.Dicom.Writing;

/// <summary>
/// Writes DICOM Part 10 files (PS3.10 §7): 128-byte zero preamble, "DICM", the file meta group in
/// Explicit VR Little Endian with a computed (0002,0000) group length, then the dataset in Explicit or
/// Implicit VR Little Endian. Values are padded to even length (text with a space, UI and binary with
/// a NUL byte). Sequences and items are written with undefined length and delimitation items;
/// encapsulated pixel data (an element with <see cref="DicomElement.Fragments"/>) as an item list.
/// Thread-safe (static, no shared state).
/// </summary>
public static class DicomFileWriter
{
    /// <summary>The ImplementationVersionName written into every file meta group.</summary>
    public const string ImplementationVersionName = "ICH_0_1";

    private static readonly HashSet<string> SupportedSyntaxes =
        [TransferSyntaxes.ExplicitVRLittleEndian, TransferSyntaxes.ImplicitVRLittleEndian];

    /// <summary>Writes <paramref name="dataset"/> to a new file (an existing file is replaced).</summary>
    /// <param name="transferSyntaxUid">Explicit or Implicit VR Little Endian (uncompressed pixel data),
    /// or any syntax when the pixel data is already encapsulated.</param>
    public static void Write(string path, DicomDataset dataset, string transferSyntaxUid)
    {
        var bytes = ToBytes(dataset, transferSyntaxUid);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The complete file as bytes.</summary>
    public static byte[] ToBytes(DicomDataset dataset, string transferSyntaxUid)
    {
        var sopClass = dataset.GetText(DicomTags.SOPClassUID)
                       ?? throw new ArgumentException("the dataset has no SOPClassUID (0008,0016)", nameof(dataset));
        var sopInstance = dataset.GetText(DicomTags.SOPInstanceUID)
                          ?? throw new ArgumentException("the dataset has no SOPInstanceUID (0008,0018)", nameof(dataset));
        var encapsulated = dataset.Get(DicomTags.PixelData)?.Fragments is not null;
        if (!encapsulated && !SupportedSyntaxes.Contains(transferSyntaxUid))
            throw new ArgumentException($"transfer syntax {transferSyntaxUid} needs encapsulated pixel data", nameof(transferSyntaxUid));
        var implicitVr = transferSyntaxUid == TransferSyntaxes.ImplicitVRLittleEndian;
        if (implicitVr && encapsulated)
            throw new ArgumentException("encapsulated pixel data cannot be written in Implicit VR", nameof(dataset));

        using var stream = new MemoryStream();
        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        WriteFileMeta(stream, sopClass, sopInstance, transferSyntaxUid);
        var body = new BinaryWriter(stream, Encoding.Latin1, leaveOpen: true);
        foreach (var element in dataset.Elements)
        {
            if (element.Tag.Group == 0x0002) continue; // meta elements live only in the meta group
            WriteElement(body, element, implicitVr);
        }
        body.Flush();
        return stream.ToArray();
    }

    private static void WriteFileMeta(Stream stream, string sopClass, string sopInstance, string transferSyntaxUid)
    {
        var meta = new DicomDataset().With(
            DicomElements.Bytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 }),
            DicomElements.Uid(DicomTags.MediaStorageSOPClassUID, sopClass),
            DicomElements.Uid(DicomTags.MediaStorageSOPInstanceUID, sopInstance),
            DicomElements.Uid(DicomTags.TransferSyntaxUID, transferSyntaxUid),
            DicomElements.Uid(DicomTags.ImplementationClassUID, DicomUids.ImplementationClassUid),
            DicomElements.Text(DicomTags.ImplementationVersionName, DicomVR.SH, ImplementationVersionName));
        using var group = new MemoryStream();
        var writer = new BinaryWriter(group, Encoding.Latin1, leaveOpen: true);
        foreach (var element in meta.Elements) WriteElement(writer, element, implicitVr: false);
        writer.Flush();
        var lengthWriter = new BinaryWriter(stream, Encoding.Latin1, leaveOpen: true);
        WriteElement(lengthWriter, DicomElements.UInt32(DicomTags.FileMetaInformationGroupLength, (uint)group.Length), implicitVr: false);
        lengthWriter.Flush();
        group.Position = 0;
        group.CopyTo(stream);
    }

    private static void WriteElement(BinaryWriter w, DicomElement e, bool implicitVr)
    {
        if (e.VR == DicomVR.SQ || e.Items is not null)
        {
            WriteHeader(w, e.Tag, DicomVR.SQ, uint.MaxValue, implicitVr);
            foreach (var item in e.Items ?? [])
            {
                WriteDelimiter(w, DicomTags.Item, uint.MaxValue);
                foreach (var child in item.Elements) WriteElement(w, child, implicitVr);
                WriteDelimiter(w, DicomTags.ItemDelimitationItem, 0);
            }
            WriteDelimiter(w, DicomTags.SequenceDelimitationItem, 0);
            return;
        }
        if (e.Fragments is not null)
        {
            WriteHeader(w, e.Tag, DicomVR.OB, uint.MaxValue, implicitVr);
            foreach (var fragment in e.Fragments)
            {
                var padded = fragment.Length + (fragment.Length & 1);
                WriteDelimiter(w, DicomTags.Item, (uint)padded);
                w.Write(fragment.Span);
                if ((fragment.Length & 1) == 1) w.Write((byte)0);
            }
            WriteDelimiter(w, DicomTags.SequenceDelimitationItem, 0);
            return;
        }
        var value = e.Value.Span;
        var odd = (value.Length & 1) == 1;
        var length = (uint)(value.Length + (odd ? 1 : 0));
        if (!implicitVr && !DicomVRInfo.HasLongLength(e.VR) && length > ushort.MaxValue)
            throw new ArgumentException($"{e.Tag} {e.VR}: value of {length} bytes does not fit a 16-bit length");
        WriteHeader(w, e.Tag, e.VR, length, implicitVr);
        w.Write(value);
        if (odd) w.Write(PadByte(e.VR));
    }

    /// <summary>Text is padded with a space, UIs and binary values with NUL (PS3.5 §6.2).</summary>
    private static byte PadByte(DicomVR vr) => DicomVRInfo.IsText(vr) && vr != DicomVR.UI ? (byte)' ' : (byte)0;

    private static void WriteHeader(BinaryWriter w, DicomTag tag, DicomVR vr, uint length, bool implicitVr)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        if (implicitVr)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
            w.Write(header[..8]);
            return;
        }
        header[4] = (byte)((ushort)vr >> 8);
        header[5] = (byte)vr;
        if (DicomVRInfo.HasLongLength(vr))
        {
            header[6] = header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            w.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            w.Write(header[..8]);
        }
    }

    private static void WriteDelimiter(BinaryWriter w, DicomTag tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        w.Write(header);
    }
}
