namespace Ich.Dicom.Model;

/// <summary>A data element tag (group, element), ordered as the standard orders them.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    public uint Value => ((uint)Group << 16) | Element;

    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <summary>Private tags have an odd group number.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    public override string ToString() => $"({Group:X4},{Element:X4})";
}
