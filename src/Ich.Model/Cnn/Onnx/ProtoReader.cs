namespace Ich.Model.Cnn.Onnx;

/// <summary>
/// A minimal protocol-buffers wire-format reader (varint, 64-bit, length-delimited, 32-bit), enough to
/// walk the ONNX ModelProto/GraphProto/NodeProto/TensorProto messages without generated code.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool End => _pos >= _data.Length;

    /// <summary>Reads the next field key: (field number, wire type).</summary>
    public (int Field, int WireType) ReadKey()
    {
        var key = ReadVarint();
        return ((int)(key >> 3), (int)(key & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw new FormatException("truncated varint");
            var b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var len = checked((int)ReadVarint());
        if (len < 0 || _pos + len > _data.Length) throw new FormatException("length-delimited field runs past the end");
        var span = _data.Slice(_pos, len);
        _pos += len;
        return span;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    public float ReadFixed32Float()
    {
        if (_pos + 4 > _data.Length) throw new FormatException("truncated fixed32");
        var v = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(_data.Slice(_pos, 4));
        _pos += 4;
        return v;
    }

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: _pos += 8; break;
            case 2: ReadBytes(); break;
            case 5: _pos += 4; break;
            default: throw new FormatException($"unsupported wire type {wireType}");
        }
        if (_pos > _data.Length) throw new FormatException("field runs past the end");
    }
}
