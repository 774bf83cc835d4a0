using System.Buffers.Binary;

namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>Decodes the entropy-coded data of one scan starting at <paramref name="position"/>; returns where it ended.</summary>
internal delegate int ScanDecoder(ReadOnlySpan<byte> data, int position, JpegScan scan);

/// <summary>Handles the payload of a marker segment (used for JPEG-LS preset parameters, LSE).</summary>
internal delegate void SegmentHandler(ReadOnlySpan<byte> payload);

/// <summary>
/// Walks the marker segments of one JPEG codestream (T.81 Annex B), keeping the tables they define,
/// and hands every scan to a decoder. One instance per decoded frame.
/// </summary>
internal sealed class JpegParser(FrameInfo info, string codec, Func<int, bool> acceptsSof)
{
    public FrameInfo Info { get; } = info;
    public HuffmanTable?[] DcTables { get; } = new HuffmanTable?[4];
    public HuffmanTable?[] AcTables { get; } = new HuffmanTable?[4];
    /// <summary>Quantization tables in zig-zag order.</summary>
    public int[]?[] QuantTables { get; } = new int[]?[4];
    /// <summary>Restart interval in MCUs; 0 = none.</summary>
    public int RestartInterval { get; private set; }
    public JpegFrame? Frame { get; private set; }
    public int ScanCount { get; private set; }

    /// <summary>Raises a format error naming the codec and the file.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Fail(string reason) => FrameGeometry.Fail(Info, $"{codec}: {reason}");

    /// <summary>Parses the whole stream, calling <paramref name="onFrame"/> after SOF and <paramref name="onScan"/> per SOS.</summary>
    public void Run(ReadOnlySpan<byte> data, Action<JpegFrame> onFrame, ScanDecoder onScan, SegmentHandler? onLse = null)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != JpegMarkers.Soi)
            Fail(data.Length < 2 ? "stream is empty" : $"stream does not start with SOI (found 0x{data[0]:X2}{(data.Length > 1 ? data[1] : 0):X2})");
        int pos = 2;
        while (true)
        {
            if (pos >= data.Length)
            {
                // Tolerated only when every scan is already decoded (a missing EOI after the last scan).
                if (ScanCount == 0) Fail("stream is truncated before the first scan");
                return;
            }
            if (data[pos] != 0xFF)
            {
                // Bytes between segments: only allowed after a scan (trailing padding of a fragment).
                if (ScanCount == 0) Fail($"expected a marker at byte {pos}, found 0x{data[pos]:X2}");
                int next = JpegMarkers.SkipToMarker(data, pos);
                if (next >= data.Length) return;
                pos = next;
            }
            while (pos < data.Length && data[pos] == 0xFF) pos++; // fill bytes
            if (pos >= data.Length) { if (ScanCount == 0) Fail("stream is truncated"); return; }
            int marker = data[pos++];
            switch (marker)
            {
                case JpegMarkers.Eoi:
                    if (ScanCount == 0) Fail("EOI before any scan");
                    return;
                case JpegMarkers.Soi:
                    Fail("second SOI marker inside the stream");
                    break;
                case JpegMarkers.Dht:
                    ReadDht(Segment(data, ref pos, marker));
                    break;
                case JpegMarkers.Dqt:
                    ReadDqt(Segment(data, ref pos, marker));
                    break;
                case JpegMarkers.Dri:
                    var dri = Segment(data, ref pos, marker);
                    if (dri.Length != 2) Fail($"DRI segment has length {dri.Length + 2}, expected 4");
                    RestartInterval = BinaryPrimitives.ReadUInt16BigEndian(dri);
                    break;
                case JpegMarkers.Sos:
                    var scan = ReadSos(Segment(data, ref pos, marker));
                    ScanCount++;
                    pos = onScan(data, pos, scan);
                    break;
                case JpegMarkers.Dnl:
                    Fail("DNL marker (height defined after the first scan) is not supported");
                    break;
                case >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7:
                    Fail($"restart marker RST{marker - JpegMarkers.Rst0} outside a scan at byte {pos - 2}");
                    break;
                case JpegMarkers.Lse when onLse is not null:
                    onLse(Segment(data, ref pos, marker));
                    break;
                case >= JpegMarkers.App0 and <= JpegMarkers.App15:
                case JpegMarkers.Com:
                    Segment(data, ref pos, marker);
                    break;
                default:
                    if (JpegMarkers.IsSof(marker) || marker is JpegMarkers.Sof55)
                    {
                        if (Frame is not null) Fail("second frame header (hierarchical JPEG) is not supported");
                        if (!acceptsSof(marker)) Fail($"coding process {JpegMarkers.SofName(marker)} is not supported by this transfer syntax's decoder");
                        Frame = ReadSof(marker, Segment(data, ref pos, marker));
                        onFrame(Frame);
                    }
                    else if (marker == JpegMarkers.Lse)
                    {
                        Fail("JPEG-LS parameters (LSE) in a stream of another JPEG process");
                    }
                    else if (marker is >= 0xF0 and <= 0xFD || marker is 0xC8)
                    {
                        Segment(data, ref pos, marker); // JPGn extensions: skip by length
                    }
                    else
                    {
                        Fail($"unexpected marker 0x{marker:X2} at byte {pos - 2}");
                    }
                    break;
            }
        }
    }

    /// <summary>The payload of a length-prefixed marker segment; advances past it.</summary>
    private ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, ref int pos, int marker)
    {
        if (pos + 2 > data.Length) Fail($"stream is truncated in the length of marker 0x{marker:X2}");
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
        if (length < 2 || pos + length > data.Length)
            Fail($"marker 0x{marker:X2} segment length {length} at byte {pos - 2} runs past the end of the stream ({data.Length} bytes)");
        var payload = data.Slice(pos + 2, length - 2);
        pos += length;
        return payload;
    }

    private void ReadDht(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0)
        {
            if (s.Length < 17) Fail("DHT segment is truncated");
            int tc = s[0] >> 4, th = s[0] & 15;
            if (tc > 1 || th > 3) Fail($"DHT table class {tc} / index {th} is out of range");
            int total = 0;
            for (int i = 1; i <= 16; i++) total += s[i];
            if (total > 256 || 17 + total > s.Length) Fail($"DHT table {tc}/{th} declares {total} codes, more than the segment holds");
            var table = HuffmanTable.Build(s.Slice(1, 16), s.Slice(17, total), out var error);
            if (table is null) Fail($"DHT table {tc}/{th}: {error}");
            (tc == 0 ? DcTables : AcTables)[th] = table;
            s = s[(17 + total)..];
        }
    }

    private void ReadDqt(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0)
        {
            int pq = s[0] >> 4, tq = s[0] & 15;
            if (pq > 1 || tq > 3) Fail($"DQT precision {pq} / table index {tq} is out of range");
            int size = 1 + 64 * (pq + 1);
            if (s.Length < size) Fail("DQT segment is truncated");
            var table = new int[64];
            for (int i = 0; i < 64; i++)
                table[i] = pq == 0 ? s[1 + i] : BinaryPrimitives.ReadUInt16BigEndian(s[(1 + 2 * i)..]);
            QuantTables[tq] = table;
            s = s[size..];
        }
    }

    private JpegFrame ReadSof(int marker, ReadOnlySpan<byte> s)
    {
        if (s.Length < 6) Fail("frame header is truncated");
        int precision = s[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        if (count is < 1 or > 4 || s.Length < 6 + 3 * count)
            Fail($"frame header declares {count} components in {s.Length + 2} bytes");
        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            var c = s.Slice(6 + 3 * i, 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4) Fail($"component {c[0]} has sampling factors {h}x{v}, outside 1..4");
            if (c[2] > 3) Fail($"component {c[0]} quantization table index {c[2]} is out of range");
            for (int j = 0; j < i; j++)
                if (components[j].Id == c[0]) Fail($"component id {c[0]} appears twice in the frame header");
            components[i] = new JpegComponent { Id = c[0], H = h, V = v, QuantTable = c[2], Index = i };
        }
        if (height == 0) Fail("frame height 0 (defined by a DNL marker) is not supported");
        if (width == 0) Fail("frame width is 0");
        return new JpegFrame { Marker = marker, Precision = precision, Height = height, Width = width, Components = components };
    }

    private JpegScan ReadSos(ReadOnlySpan<byte> s)
    {
        if (Frame is null) Fail("scan (SOS) before the frame header (SOF)");
        if (s.Length < 1) Fail("scan header is truncated");
        int count = s[0];
        if (count is < 1 or > 4 || s.Length != 4 + 2 * count)
            Fail($"scan header declares {count} components in {s.Length + 2} bytes");
        var components = new JpegScanComponent[count];
        for (int i = 0; i < count; i++)
        {
            int id = s[1 + 2 * i], td = s[2 + 2 * i] >> 4, ta = s[2 + 2 * i] & 15;
            var component = Frame!.Components.FirstOrDefault(c => c.Id == id);
            if (component is null) Fail($"scan refers to component {id}, which the frame header does not define");
            if (td > 3 || ta > 3) Fail($"scan component {id} Huffman table index {td}/{ta} is out of range");
            components[i] = new JpegScanComponent(component!, td, ta);
        }
        int p = 1 + 2 * count;
        return new JpegScan { Components = components, Ss = s[p], Se = s[p + 1], Ah = s[p + 2] >> 4, Al = s[p + 2] & 15 };
    }
}
