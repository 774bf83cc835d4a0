using System.Text.Json.Serialization;

namespace Ich.Core.Scans;

/// <summary>
/// Which region of a slice a CNN sees (model.json backbone <c>framing</c>, CNN training config <c>framing</c>).
/// In <c>Ich.Core</c> because both the model-folder format (<c>Ich.Model</c>) and the imaging code that builds the input
/// (<c>Ich.Imaging</c>) name it, and neither may reference the other.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InputFraming>))]
public enum InputFraming
{
    /// <summary>
    /// The whole slice (the scanner's field of view) resized to the network side: the head's size and place in the
    /// input follow the field of view, head size and patient position. Every model trained before framing existed.
    /// </summary>
    [JsonStringEnumMemberName("field")] Field,

    /// <summary>
    /// One square per scan around the head (<c>Ich.Imaging.HeadFrame</c>) resized to the network side: the head fills
    /// about the same part of the input whatever the field of view, so a scan reconstructed at 350 mm is not a
    /// 30 % smaller head than the 250 mm scans a model was trained on.
    /// </summary>
    [JsonStringEnumMemberName("head")] Head,
}
