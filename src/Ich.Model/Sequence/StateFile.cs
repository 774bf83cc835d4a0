using System.Text;
using Ich.Core.Errors;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// A module's state (parameters and buffers) in a small self-describing file, optionally stored as
/// float16 to halve the model folder. Layout (little-endian): magic "ICHSTATE", int32 version 1,
/// int32 entry count; per entry: name (int32 length + UTF-8), int32 dtype (0 = f32, 1 = f16, 2 = i64),
/// int32 rank, int64 shape[rank], raw data. Loading checks every name and shape (strict) and converts to
/// the module's dtype.
/// </summary>
public static class StateFile
{
    private static readonly byte[] Magic = "ICHSTATE"u8.ToArray();

    public static void Save(nn.Module module, string path, bool half)
    {
        using var scope = NewDisposeScope();
        var state = module.state_dict();
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Magic);
        w.Write(1);
        w.Write(state.Count);
        foreach (var (name, value) in state)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            w.Write(bytes.Length);
            w.Write(bytes);
            var t = value.detach().cpu().contiguous();
            int code;
            if (t.dtype == ScalarType.Int64) code = 2;
            else if (half && t.is_floating_point()) { t = t.to_type(ScalarType.Float16); code = 1; }
            else { t = t.to_type(ScalarType.Float32); code = 0; }
            w.Write(code);
            w.Write((int)t.dim());
            foreach (var s in t.shape) w.Write(s);
            w.Write(t.bytes);
        }
    }

    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path)) throw new ConfigException("checkpoint file not found", path);
        using var scope = NewDisposeScope();
        var state = module.state_dict();
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new ConfigException("not an ICHSTATE checkpoint", path);
            if (r.ReadInt32() != 1) throw new ConfigException("unsupported checkpoint version", path);
            var count = r.ReadInt32();
            if (count != state.Count) throw new ConfigException($"checkpoint has {count} entries, the network {state.Count}", path);
            using var noGrad = no_grad();
            for (var i = 0; i < count; i++)
            {
                var name = Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));
                var code = r.ReadInt32();
                var shape = new long[r.ReadInt32()];
                for (var k = 0; k < shape.Length; k++) shape[k] = r.ReadInt64();
                if (!state.TryGetValue(name, out var target)) throw new ConfigException($"unexpected entry '{name}'", path);
                if (!target.shape.SequenceEqual(shape))
                    throw new ConfigException($"entry '{name}' has shape [{string.Join(",", shape)}], the network [{string.Join(",", target.shape)}]", path);
                var type = code switch { 0 => ScalarType.Float32, 1 => ScalarType.Float16, 2 => ScalarType.Int64, _ => throw new ConfigException($"bad dtype code {code}", path) };
                var elements = shape.Aggregate(1L, (a, s) => a * s);
                var size = elements * (code switch { 0 => 4, 1 => 2, _ => 8 });
                var data = r.ReadBytes(checked((int)size));
                if (data.Length != size) throw new ConfigException("truncated checkpoint", path);
                var loaded = empty(shape, type);
                loaded.bytes = data;
                target.copy_(loaded.to_type(target.dtype));
            }
        }
        catch (EndOfStreamException e) { throw new ConfigException($"truncated checkpoint ({e.Message})", path); }
    }
}
