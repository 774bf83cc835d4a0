namespace Ich.Dicom.Model;

/// <summary>
/// One data element. Binary values are kept <b>little-endian whatever the file's byte order</b>
/// (the reader swaps big-endian values on the way in), so getters never need to know the syntax.
/// A sequence has <see cref="Items"/>; encapsulated pixel data has <see cref="Fragments"/>.
/// </summary>
public sealed class DicomElement
{
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        Tag = tag;
        VR = vr;
        Value = value;
    }

    public DicomTag Tag { get; }
    public DicomVR VR { get; }

    /// <summary>Raw value bytes (little-endian for binary VRs; no trailing padding removed).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Items of an SQ element (empty list for an empty sequence), else null.</summary>
    public List<DicomDataset>? Items { get; init; }

    /// <summary>
    /// Fragments of encapsulated pixel data, in file order, the Basic Offset Table item first
    /// (possibly empty), else null.
    /// </summary>
    public List<ReadOnlyMemory<byte>>? Fragments { get; init; }

    /// <summary>Byte offset of the element's value in the file (for error messages and lazy reads).</summary>
    public long FileOffset { get; init; }

    public override string ToString() => $"{Tag} {VR} len={Value.Length}";
}
