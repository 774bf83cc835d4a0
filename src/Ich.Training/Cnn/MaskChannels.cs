using System.Text.Json.Serialization;

namespace Ich.Training.Cnn;

/// <summary>What the segmentation decoder is taught to draw (<c>maskChannels</c> of a CNN config).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MaskChannels>))]
public enum MaskChannels
{
    /// <summary>One channel: blood of any subtype.</summary>
    [JsonStringEnumMemberName("blood")] Blood,

    /// <summary>
    /// Six channels: blood, then each subtype in class order. The model folder ships the blood channel only (what
    /// predictions show); the subtype channels exist to teach the shared features where each kind of bleed is.
    /// </summary>
    [JsonStringEnumMemberName("subtypes")] Subtypes,
}

/// <summary>Channel counts of <see cref="MaskChannels"/>.</summary>
public static class MaskChannelsExtensions
{
    /// <summary>1 for blood, 1 + 5 subtypes for subtypes.</summary>
    public static int Count(this MaskChannels channels) => channels == MaskChannels.Subtypes ? Ich.Core.HemorrhageClasses.Count : 1;
}
