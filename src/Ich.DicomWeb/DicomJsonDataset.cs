using System.Globalization;
using System.Text.Json;

namespace Ich.DicomWeb;

/// <summary>
/// One dataset of a DICOM JSON Model response (PS3.18 F.2): attributes keyed by 8-hex-digit tag, each with a VR
/// and values. Read-only; getters return null/empty for absent attributes and never throw for them.
/// </summary>
public sealed class DicomJsonDataset
{
    private readonly Dictionary<string, JsonElement> _attributes;

    private DicomJsonDataset(Dictionary<string, JsonElement> attributes) => _attributes = attributes;

    /// <summary>The tags present, upper-case hex (e.g. "0020000D").</summary>
    public IEnumerable<string> Tags => _attributes.Keys;

    /// <summary>The VR of an attribute, or null when absent.</summary>
    public string? GetVR(string tag) =>
        _attributes.TryGetValue(tag.ToUpperInvariant(), out var a) && a.TryGetProperty("vr", out var vr) ? vr.GetString() : null;

    /// <summary>All values of an attribute as text: strings as they are, numbers invariantly, PN as its Alphabetic group.</summary>
    public IReadOnlyList<string> GetStrings(string tag)
    {
        if (!_attributes.TryGetValue(tag.ToUpperInvariant(), out var a) || !a.TryGetProperty("Value", out var values)
            || values.ValueKind != JsonValueKind.Array)
            return [];
        var result = new List<string>();
        foreach (var v in values.EnumerateArray())
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.String: result.Add(v.GetString()!); break;
                case JsonValueKind.Number: result.Add(v.GetDouble().ToString(CultureInfo.InvariantCulture)); break;
                case JsonValueKind.Object when v.TryGetProperty("Alphabetic", out var alphabetic): result.Add(alphabetic.GetString() ?? ""); break;
                case JsonValueKind.Null: result.Add(""); break;
            }
        }
        return result;
    }

    /// <summary>The first value as text, or null.</summary>
    public string? GetString(string tag) => GetStrings(tag) is { Count: > 0 } v ? v[0] : null;

    /// <summary>The first value as an integer, or null when absent or not an integer.</summary>
    public int? GetInt(string tag) =>
        int.TryParse(GetString(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>The items of a sequence (SQ) attribute; empty when absent.</summary>
    public IReadOnlyList<DicomJsonDataset> GetSequence(string tag)
    {
        if (!_attributes.TryGetValue(tag.ToUpperInvariant(), out var a) || !a.TryGetProperty("Value", out var values)
            || values.ValueKind != JsonValueKind.Array)
            return [];
        return values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object).Select(FromElement).ToArray();
    }

    /// <summary>
    /// Parses one dataset object; throws <see cref="JsonException"/> when a key is not an 8-hex-digit tag or an
    /// attribute is not an object with a string "vr".
    /// </summary>
    internal static DicomJsonDataset FromElement(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new JsonException("a DICOM JSON dataset must be an object");
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name.Length != 8 || !p.Name.All(Uri.IsHexDigit)) throw new JsonException($"'{Truncate(p.Name)}' is not a DICOM tag");
            if (p.Value.ValueKind != JsonValueKind.Object || !p.Value.TryGetProperty("vr", out var vr) || vr.ValueKind != JsonValueKind.String)
                throw new JsonException($"attribute {p.Name} has no string \"vr\"");
            attributes[p.Name.ToUpperInvariant()] = p.Value.Clone();
        }
        return new DicomJsonDataset(attributes);
    }

    /// <summary>Parses a response body: an array of datasets (QIDO-RS) or one dataset (STOW-RS).</summary>
    internal static IReadOnlyList<DicomJsonDataset> Parse(ReadOnlyMemory<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        return doc.RootElement.ValueKind switch
        {
            JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(FromElement).ToArray(),
            JsonValueKind.Object => [FromElement(doc.RootElement)],
            _ => throw new JsonException("a DICOM JSON response must be an array or an object"),
        };
    }

    private static string Truncate(string s) => s.Length <= 20 ? s : s[..20] + "...";
}

/// <summary>Tags (DICOM JSON keys) the client and its callers read most.</summary>
public static class DicomJsonTags
{
    public const string SopClassUid = "00080016";
    public const string SopInstanceUid = "00080018";
    public const string Modality = "00080060";
    public const string ModalitiesInStudy = "00080061";
    public const string RetrieveUrl = "00081190";
    public const string FailedSopSequence = "00081198";
    public const string ReferencedSopSequence = "00081199";
    public const string ReferencedSopClassUid = "00081150";
    public const string ReferencedSopInstanceUid = "00081155";
    public const string WarningReason = "00081196";
    public const string FailureReason = "00081197";
    public const string PatientName = "00100010";
    public const string PatientId = "00100020";
    public const string StudyInstanceUid = "0020000D";
    public const string SeriesInstanceUid = "0020000E";
    public const string SeriesNumber = "00200011";
    public const string InstanceNumber = "00200013";
}
