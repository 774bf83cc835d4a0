using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ich.Training.Cnn;

/// <summary>Where a CNN's starting weights come from.</summary>
public enum CnnInitKind
{
    /// <summary>Random, from the fold's seed.</summary>
    Scratch,
    /// <summary>ImageNet weights of the ResNet18 in the ML.NET ONNX package.</summary>
    ImageNet,
    /// <summary>A weight file (.pth/.pt via PyBridge, strict; else TorchSharp format).</summary>
    WeightsFile,
}

/// <summary>
/// The <c>init</c> of a CNN training config. In JSON it stays one string, as config files have always written it:
/// <c>"scratch"</c>, <c>"imagenet"</c>, or any other text = the path of a weight file.
/// </summary>
[JsonConverter(typeof(CnnInitJsonConverter))]
public sealed record CnnInit
{
    private CnnInit(CnnInitKind kind, string? weightsFile)
    {
        Kind = kind;
        WeightsFile = weightsFile;
    }

    public CnnInitKind Kind { get; }

    /// <summary>The weight file, for <see cref="CnnInitKind.WeightsFile"/>; else null.</summary>
    public string? WeightsFile { get; }

    public static CnnInit Scratch { get; } = new(CnnInitKind.Scratch, null);

    public static CnnInit ImageNet { get; } = new(CnnInitKind.ImageNet, null);

    public static CnnInit FromWeightsFile(string path) => new(CnnInitKind.WeightsFile, path ?? throw new ArgumentNullException(nameof(path)));

    /// <summary>The config spelling: <c>scratch</c>, <c>imagenet</c>, else a weight file path.</summary>
    public static CnnInit Parse(string text) => text switch
    {
        "scratch" => Scratch,
        "imagenet" => ImageNet,
        _ => FromWeightsFile(text),
    };

    /// <summary>The config spelling (what <see cref="Parse"/> reads back).</summary>
    public override string ToString() => Kind switch
    {
        CnnInitKind.Scratch => "scratch",
        CnnInitKind.ImageNet => "imagenet",
        _ => WeightsFile!,
    };
}

/// <summary>Reads and writes <see cref="CnnInit"/> as its one-string config spelling.</summary>
public sealed class CnnInitJsonConverter : JsonConverter<CnnInit>
{
    public override CnnInit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? CnnInit.Parse(reader.GetString()!)
            : throw new JsonException("init must be a string: \"scratch\", \"imagenet\" or the path of a weight file");

    public override void Write(Utf8JsonWriter writer, CnnInit value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
