using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ich.Dicom.Model;

/// <summary>
/// An ordered set of data elements (a file's main dataset, its file meta group, or a sequence item)
/// with typed getters. Getters return null / false when an element is absent or empty, never throw
/// for a missing element; they throw <see cref="FormatException"/> only for a value that cannot be read.
/// </summary>
public sealed class DicomDataset
{
    private readonly SortedDictionary<DicomTag, DicomElement> _elements = new();

    public IEnumerable<DicomElement> Elements => _elements.Values;
    public int Count => _elements.Count;

    /// <summary>Adds or replaces an element.</summary>
    public void Set(DicomElement element) => _elements[element.Tag] = element;

    public bool Remove(DicomTag tag) => _elements.Remove(tag);

    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    public DicomElement? Get(DicomTag tag) => _elements.GetValueOrDefault(tag);

    /// <summary>The element's text with leading/trailing spaces and NULs removed (all values, backslashes kept).</summary>
    public string? GetText(DicomTag tag)
    {
        var e = Get(tag);
        if (e is null || e.Value.Length == 0) return null;
        var text = Encoding.Latin1.GetString(e.Value.Span).Trim(' ', '\0');
        return text.Length == 0 ? null : text;
    }

    /// <summary>All values of a text element, split at backslashes and trimmed.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var text = GetText(tag);
        return text is null ? [] : text.Split('\\').Select(s => s.Trim(' ', '\0')).ToArray();
    }

    /// <summary>The first value of a text element (e.g. "00040" from "00040\00040").</summary>
    public string? GetString(DicomTag tag) => GetStrings(tag) is { Length: > 0 } v && v[0].Length > 0 ? v[0] : null;

    /// <summary>
    /// All numeric values of an element: DS/IS text (zero-padded forms accepted) or binary
    /// US/SS/UL/SL/FL/FD/OW/OB/SV/UV.
    /// </summary>
    public double[] GetNumbers(DicomTag tag)
    {
        var e = Get(tag);
        if (e is null || e.Value.Length == 0) return [];
        var s = e.Value.Span;
        switch (e.VR)
        {
            case DicomVR.US or DicomVR.OW: return Read(s, 2, x => BinaryPrimitives.ReadUInt16LittleEndian(x));
            case DicomVR.SS: return Read(s, 2, x => BinaryPrimitives.ReadInt16LittleEndian(x));
            case DicomVR.UL or DicomVR.OL: return Read(s, 4, x => BinaryPrimitives.ReadUInt32LittleEndian(x));
            case DicomVR.SL: return Read(s, 4, x => BinaryPrimitives.ReadInt32LittleEndian(x));
            case DicomVR.FL or DicomVR.OF: return Read(s, 4, x => BinaryPrimitives.ReadSingleLittleEndian(x));
            case DicomVR.FD or DicomVR.OD: return Read(s, 8, x => BinaryPrimitives.ReadDoubleLittleEndian(x));
            case DicomVR.SV: return Read(s, 8, x => BinaryPrimitives.ReadInt64LittleEndian(x));
            case DicomVR.UV: return Read(s, 8, x => BinaryPrimitives.ReadUInt64LittleEndian(x));
            case DicomVR.OB: return Read(s, 1, x => x[0]);
            default:
                var parts = GetStrings(tag);
                var result = new double[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                    if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                        throw new FormatException($"{tag}: '{parts[i]}' is not a number");
                return result;
        }
    }

    /// <summary>The value at <paramref name="index"/> as a number, or null when absent/empty.</summary>
    public double? GetNumber(DicomTag tag, int index = 0) => GetNumbers(tag) is { } v && v.Length > index ? v[index] : null;

    /// <summary>The value as an integer (e.g. US Rows, IS InstanceNumber), or null.</summary>
    public int? GetInt(DicomTag tag, int index = 0) => GetNumber(tag, index) is { } d ? (int)Math.Round(d) : null;

    /// <summary>Items of a sequence element, or an empty list.</summary>
    public IReadOnlyList<DicomDataset> GetItems(DicomTag tag) => Get(tag)?.Items ?? (IReadOnlyList<DicomDataset>)[];

    private delegate double ReadOne(ReadOnlySpan<byte> s);

    private static double[] Read(ReadOnlySpan<byte> s, int size, ReadOne read)
    {
        var n = s.Length / size;
        var result = new double[n];
        for (var i = 0; i < n; i++) result[i] = read(s.Slice(i * size, size));
        return result;
    }
}
