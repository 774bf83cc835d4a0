using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// Reads the entropy-coded segment of a JPEG scan MSB-first through a 64-bit buffer, removing the
/// stuffed 0x00 after each 0xFF. At a marker (or the end of the data) it feeds zero bits, counting
/// them, so that a decoder which consumes them can report a truncated stream instead of reading on.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly FrameInfo _info;
    private int _position;   // next byte of _data to load
    private ulong _buffer;   // valid bits at the top
    private int _count;      // number of valid bits in _buffer
    private int _padding;    // zero bits fed after the marker / end, still in or already out of _buffer
    private bool _atMarker;

    public JpegBitReader(ReadOnlySpan<byte> data, int position, FrameInfo info)
    {
        _data = data;
        _info = info;
        _position = position;
    }

    /// <summary>True once the decoder has consumed bits that were not in the stream.</summary>
    public readonly bool Overrun => _count < _padding;

    /// <summary>Position of the first byte not yet loaded into the buffer.</summary>
    public readonly int Position => _position;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    private void Fill()
    {
        // Fast path: the next 8 bytes hold no 0xFF (no stuffing, no marker), so whole bytes go in at once.
        if (!_atMarker && _position + 8 <= _data.Length)
        {
            ulong v = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
            ulong inverted = ~v;
            if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
            {
                int bytes = (64 - _count) >> 3;
                _buffer |= v >> (64 - 8 * bytes) << (64 - 8 * bytes - _count);
                _count += 8 * bytes;
                _position += bytes;
                return;
            }
        }
        while (_count <= 56)
        {
            int b;
            if (_atMarker)
            {
                b = 0;
                _padding += 8;
            }
            else if (_position >= _data.Length)
            {
                _atMarker = true;
                continue;
            }
            else
            {
                b = _data[_position];
                if (b == 0xFF)
                {
                    if (_position + 1 < _data.Length && _data[_position + 1] == 0)
                    {
                        _position += 2;
                    }
                    else
                    {
                        _atMarker = true; // a marker (or fill bytes before one): the segment ends here
                        continue;
                    }
                }
                else
                {
                    _position++;
                }
            }
            _buffer |= (ulong)b << (56 - _count);
            _count += 8;
        }
    }

    /// <summary>Reads n (0..16) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bits(int n)
    {
        if (n == 0) return 0;
        if (_count < n) Fill();
        int v = (int)(_buffer >> (64 - n));
        _buffer <<= n;
        _count -= n;
        return v;
    }

    /// <summary>Reads s (0..16) bits and maps them to a signed difference (T.81 F.2.2.1 EXTEND).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReceiveExtend(int s)
    {
        if (s == 0) return 0;
        int v = Bits(s);
        return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }

    /// <summary>Decodes one Huffman symbol.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(HuffmanTable table)
    {
        if (_count < 16) Fill();
        int entry = table.Lookup[(int)(_buffer >> (64 - HuffmanTable.LookupBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            _buffer <<= length;
            _count -= length;
            return entry & 0xFF;
        }
        return DecodeLong(table);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeLong(HuffmanTable table)
    {
        int code16 = (int)(_buffer >> 48);
        for (int length = HuffmanTable.LookupBits + 1; length <= 16; length++)
        {
            int code = code16 >> (16 - length);
            if (code <= table.MaxCode[length])
            {
                _buffer <<= length;
                _count -= length;
                return table.Values[table.ValueOffset[length] + code];
            }
        }
        return FrameGeometry.Fail<int>(_info, Overrun || _atMarker
            ? "JPEG: entropy-coded data is truncated (Huffman code not found before the next marker)"
            : $"JPEG: Huffman code not found (bits {code16:X4}) at byte {_position}");
    }

    /// <summary>Throws when the decoder has read past the end of the entropy-coded data.</summary>
    public readonly void ThrowIfOverrun()
    {
        if (Overrun) FrameGeometry.Fail(_info, "JPEG: entropy-coded data is truncated (ran into a marker or the end of the stream)");
    }

    /// <summary>
    /// Ends a restart interval: drops the remaining bits of the byte, expects RSTn with n = index mod 8
    /// and resumes after it.
    /// </summary>
    public void Restart(int index)
    {
        ThrowIfOverrun();
        int pos = JpegMarkers.SkipToMarker(_data, _position);
        int expected = JpegMarkers.Rst0 + (index & 7);
        if (pos + 1 >= _data.Length)
            FrameGeometry.Fail(_info, $"JPEG: stream is truncated where restart marker RST{index & 7} was expected");
        int marker = _data[pos + 1];
        if (marker != expected)
            FrameGeometry.Fail(_info, $"JPEG: expected restart marker RST{index & 7}, found marker 0x{marker:X2} at byte {pos}");
        _position = pos + 2;
        _buffer = 0;
        _count = 0;
        _padding = 0;
        _atMarker = false;
    }
}
