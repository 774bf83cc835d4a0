namespace Ich.Core.Errors;

/// <summary>Not DICOM, truncated, or structurally broken DICOM.</summary>
public sealed class DicomFormatException(string message, string? path, long? offset = null, Exception? inner = null)
    : IchException(offset is null ? message : $"{message} (at byte offset {offset})", path, inner)
{
    public long? Offset { get; } = offset;
}

/// <summary>
/// A transfer syntax (or pixel encoding) this reader does not decode; <paramref name="hint"/> says what
/// would make it decodable when that is a matter of installing something (e.g. the OpenJPEG library).
/// </summary>
public sealed class UnsupportedTransferSyntaxException(string transferSyntaxUid, string name, string? path, string? hint = null)
    : IchException(hint is null ? $"unsupported transfer syntax {transferSyntaxUid} ({name})" : $"unsupported transfer syntax {transferSyntaxUid} ({name}): {hint}", path)
{
    public string TransferSyntaxUid { get; } = transferSyntaxUid;

    /// <summary>What to install or change so the syntax decodes, or null when it is simply not implemented.</summary>
    public string? Hint { get; } = hint;
}

/// <summary>A series that cannot be made into an ordered scan (mixed orientation, too few slices, ...).</summary>
public sealed class SeriesGeometryException(string message, string? path) : IchException(message, path);

/// <summary>A label, prediction or manifest file with a bad row; carries the 1-based line number.</summary>
public class DatasetFormatException(string message, string? path, int? line = null, Exception? inner = null)
    : IchException(line is null ? message : $"line {line}: {message}", path, inner)
{
    public int? Line { get; } = line;
}

/// <summary>
/// A label row whose values contradict each other (a subtype = 1 with any = 0; PhysioNet's No_Hemorrhage
/// disagreeing with its subtypes), or a repeated row with other values. Names the file, the line and the
/// item (image, slice or scan); see docs/labels.md.
/// </summary>
public sealed class LabelContradictionException(string item, string message, string path, int line)
    : DatasetFormatException(message, path, line)
{
    /// <summary>The image, slice or scan whose labels contradict each other.</summary>
    public string Item { get; } = item;
}

/// <summary>An image format other than DICOM (NIfTI, JPG export) that cannot be read.</summary>
public sealed class ImageFormatException(string message, string? path, Exception? inner = null)
    : IchException(message, path, inner);

/// <summary>A configuration file or option that is invalid; raised before any work starts.</summary>
public sealed class ConfigException(string message, string? path = null) : IchException(message, path);

/// <summary>Input that reached the model but does not fit it (wrong modality, no slices, wrong size).</summary>
public sealed class ModelInputException(string message, string? path = null) : IchException(message, path);

/// <summary>The installation itself is broken (a native library that does not load, a missing bundled file): not the user's input.</summary>
public sealed class InstallationException(string message, string? path = null, Exception? inner = null) : IchException(message, path, inner);

/// <summary>
/// Input of the DICOM result writers that cannot make valid result objects (an invalid source UID, a slice
/// index outside the series, a saliency value outside 0..1, a missing class); names the item and the reason.
/// </summary>
public sealed class ResultInputException(string message, string? path = null) : IchException(message, path);
