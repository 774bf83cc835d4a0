using System.Buffers.Binary;
using Ich.Core.Errors;

namespace Ich.Model.Cnn.Onnx;

/// <summary>An ONNX initializer (weight tensor) as float32, with its dims.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, float[] Data);

/// <summary>One ONNX node: operator, inputs/outputs by name, and its integer/float attributes.</summary>
public sealed record OnnxNode(
    string Name,
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> IntAttributes,
    IReadOnlyDictionary<string, float> FloatAttributes);

/// <summary>
/// The parts of an ONNX model this project needs: the node list, float initializers and graph
/// inputs/outputs (read with a minimal protobuf reader; only FLOAT tensors are decoded).
/// </summary>
public sealed class OnnxGraph
{
    private OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers, List<string> inputs, List<string> outputs)
    {
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<OnnxNode> Nodes { get; }
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Reads an .onnx file; a malformed one is an <see cref="ImageFormatException"/>-free <see cref="ModelInputException"/> naming the file.</summary>
    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path)) throw new ModelInputException("ONNX file not found", path);
        try { return Parse(File.ReadAllBytes(path)); }
        catch (FormatException e) { throw new ModelInputException($"malformed ONNX protobuf: {e.Message}", path); }
    }

    private static OnnxGraph Parse(ReadOnlySpan<byte> model)
    {
        var r = new ProtoReader(model);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            if (field == 7 && wire == 2) return ParseGraph(r.ReadBytes()); // ModelProto.graph
            r.Skip(wire);
        }
        throw new FormatException("ModelProto has no graph");
    }

    private static OnnxGraph ParseGraph(ReadOnlySpan<byte> graph)
    {
        var nodes = new List<OnnxNode>();
        var inits = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var r = new ProtoReader(graph);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1 when wire == 2: nodes.Add(ParseNode(r.ReadBytes())); break;
                case 5 when wire == 2: var t = ParseTensor(r.ReadBytes()); if (t is not null) inits[t.Name] = t; break;
                case 11 when wire == 2: inputs.Add(ParseValueInfoName(r.ReadBytes())); break;
                case 12 when wire == 2: outputs.Add(ParseValueInfoName(r.ReadBytes())); break;
                default: r.Skip(wire); break;
            }
        }
        return new OnnxGraph(nodes, inits, inputs, outputs);
    }

    private static string ParseValueInfoName(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            if (field == 1 && wire == 2) return r.ReadString();
            r.Skip(wire);
        }
        return "";
    }

    private static OnnxNode ParseNode(ReadOnlySpan<byte> data)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var ints = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        string name = "", op = "";
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1 when wire == 2: inputs.Add(r.ReadString()); break;
                case 2 when wire == 2: outputs.Add(r.ReadString()); break;
                case 3 when wire == 2: name = r.ReadString(); break;
                case 4 when wire == 2: op = r.ReadString(); break;
                case 5 when wire == 2: ParseAttribute(r.ReadBytes(), ints, floats); break;
                default: r.Skip(wire); break;
            }
        }
        return new OnnxNode(name, op, inputs, outputs, ints, floats);
    }

    private static void ParseAttribute(ReadOnlySpan<byte> data, Dictionary<string, long[]> ints, Dictionary<string, float> floats)
    {
        string name = "";
        var list = new List<long>();
        long? single = null;
        float? f = null;
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1 when wire == 2: name = r.ReadString(); break;
                case 2 when wire == 5: f = r.ReadFixed32Float(); break;
                case 3 when wire == 0: single = (long)r.ReadVarint(); break;
                case 8 when wire == 0: list.Add((long)r.ReadVarint()); break;
                case 8 when wire == 2:
                    var packed = new ProtoReader(r.ReadBytes());
                    while (!packed.End) list.Add((long)packed.ReadVarint());
                    break;
                default: r.Skip(wire); break;
            }
        }
        if (single is not null) ints[name] = [single.Value];
        else if (list.Count > 0) ints[name] = list.ToArray();
        if (f is not null) floats[name] = f.Value;
    }

    private static OnnxTensor? ParseTensor(ReadOnlySpan<byte> data)
    {
        var dims = new List<long>();
        var floatData = new List<float>();
        int dataType = 0;
        string name = "";
        ReadOnlySpan<byte> raw = default;
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1 when wire == 0: dims.Add((long)r.ReadVarint()); break;
                case 1 when wire == 2:
                    var pd = new ProtoReader(r.ReadBytes());
                    while (!pd.End) dims.Add((long)pd.ReadVarint());
                    break;
                case 2 when wire == 0: dataType = (int)r.ReadVarint(); break;
                case 4 when wire == 2:
                    var pf = new ProtoReader(r.ReadBytes());
                    while (!pf.End) floatData.Add(pf.ReadFixed32Float());
                    break;
                case 4 when wire == 5: floatData.Add(r.ReadFixed32Float()); break;
                case 8 when wire == 2: name = r.ReadString(); break;
                case 9 when wire == 2: raw = r.ReadBytes(); break;
                default: r.Skip(wire); break;
            }
        }
        if (dataType != 1) return null; // only FLOAT initializers carry weights in the models we import
        float[] values;
        if (!raw.IsEmpty)
        {
            values = new float[raw.Length / 4];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * i, 4));
        }
        else values = floatData.ToArray();
        var count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length) throw new FormatException($"tensor '{name}': {values.Length} values for dims [{string.Join(",", dims)}]");
        return new OnnxTensor(name, dims.ToArray(), values);
    }
}
