namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// A canonical JPEG Huffman table (ITU T.81 Annex C) prepared for decoding: a 9-bit lookup table
/// resolves short codes in one step; longer codes (up to 16 bits) use the per-length maximum codes.
/// </summary>
internal sealed class HuffmanTable
{
    /// <summary>Bits resolved by one lookup.</summary>
    public const int LookupBits = 9;

    /// <summary>For each 9-bit prefix: (code length &lt;&lt; 8) | value, or 0 when the code is longer.</summary>
    public readonly ushort[] Lookup = new ushort[1 << LookupBits];

    /// <summary>Largest code of each length 0..16, or -1 when there is none.</summary>
    public readonly int[] MaxCode = new int[17];

    /// <summary>Index into <see cref="Values"/> of a code c of length l is ValueOffset[l] + c.</summary>
    public readonly int[] ValueOffset = new int[17];

    /// <summary>HUFFVAL: the symbols in order of increasing code length.</summary>
    public readonly byte[] Values;

    private HuffmanTable(byte[] values) => Values = values;

    /// <summary>
    /// Builds the table from BITS (16 counts of codes per length) and HUFFVAL; returns null with a reason
    /// when the counts describe more codes than fit (an over-subscribed table).
    /// </summary>
    public static HuffmanTable? Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, out string? error)
    {
        var table = new HuffmanTable(values.ToArray());
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            table.ValueOffset[length] = k - code;
            if (n == 0)
            {
                table.MaxCode[length] = -1;
            }
            else
            {
                // All-ones codes are reserved, so the last code of a length must stay below 2^length - 1
                // (T.81 C.2), except that decoders accept a table using it; an overflow is a hard error.
                if (code + n > 1 << length)
                {
                    error = $"Huffman table is over-subscribed at code length {length}";
                    return null;
                }
                for (int i = 0; i < n; i++, code++, k++)
                {
                    if (length <= LookupBits)
                    {
                        int shift = LookupBits - length;
                        int first = code << shift;
                        var entry = (ushort)((length << 8) | values[k]);
                        table.Lookup.AsSpan(first, 1 << shift).Fill(entry);
                    }
                }
                table.MaxCode[length] = code - 1;
            }
            code <<= 1;
        }
        error = null;
        return table;
    }
}
