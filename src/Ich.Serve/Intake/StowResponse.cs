using System.Text.Json.Nodes;

namespace Ich.Serve.Intake;

/// <summary>
/// The Store Instances Response Module of a STOW-RS reply (PS3.18 §10.5.3), in the DICOM JSON model
/// (PS3.18 Annex F): ReferencedSOPSequence (0008,1199) for stored instances, FailedSOPSequence (0008,1198)
/// with a FailureReason (0008,1197) for the others.
/// </summary>
public sealed class StowResponse
{
    /// <summary>Failure reasons used here (PS3.4 Annex B storage status codes).</summary>
    public const ushort ProcessingFailure = 0x0110;
    public const ushort OutOfResources = 0xA700;
    public const ushort CannotUnderstand = 0xC000;

    private readonly JsonArray _referenced = [];
    private readonly JsonArray _failed = [];

    public int StoredCount => _referenced.Count;
    public int FailedCount => _failed.Count;

    /// <summary>A stored instance. No Retrieve URL is given: this service stores for triage and offers no WADO-RS.</summary>
    public void AddStored(string sopClassUid, string sopInstanceUid) =>
        _referenced.Add(new JsonObject
        {
            ["00081150"] = Element("UI", sopClassUid),
            ["00081155"] = Element("UI", sopInstanceUid),
        });

    /// <summary>A failed part; the UIDs are null when the part could not be parsed far enough to know them.</summary>
    public void AddFailed(string? sopClassUid, string? sopInstanceUid, ushort reason)
    {
        var item = new JsonObject();
        if (sopClassUid is not null) item["00081150"] = Element("UI", sopClassUid);
        if (sopInstanceUid is not null) item["00081155"] = Element("UI", sopInstanceUid);
        item["00081197"] = new JsonObject { ["vr"] = "US", ["Value"] = new JsonArray(reason) };
        _failed.Add(item);
    }

    /// <summary>The HTTP status for this outcome: 200 all stored, 202 some stored, 409 none stored.</summary>
    public int StatusCode => _failed.Count == 0 ? 200 : _referenced.Count > 0 ? 202 : 409;

    public string ToJson()
    {
        var root = new JsonObject();
        if (_failed.Count > 0) root["00081198"] = new JsonObject { ["vr"] = "SQ", ["Value"] = _failed.DeepClone() };
        if (_referenced.Count > 0) root["00081199"] = new JsonObject { ["vr"] = "SQ", ["Value"] = _referenced.DeepClone() };
        return root.ToJsonString();
    }

    private static JsonObject Element(string vr, string value) => new() { ["vr"] = vr, ["Value"] = new JsonArray(value) };
}
