using Ich.Core.Scans;

namespace Ich.Synth.Insertion;

/// <summary>What <see cref="BleedInserter"/> did to each pixel of the host.</summary>
public enum InsertionEffect : byte
{
    /// <summary>Host pixel, unchanged.</summary>
    None = 0,
    /// <summary>Blood (the mask).</summary>
    Blood = 1,
    /// <summary>One-pixel partial-volume rim outside the mask: host and blood mixed.</summary>
    PartialVolume = 2,
    /// <summary>Hypodense edema around an intraparenchymal bleed.</summary>
    Edema = 3,
}

/// <summary>
/// A host slice with one synthetic or pasted bleed: the new HU image, the blood mask (row-major, 1 = blood), the six
/// labels in <see cref="Ich.Core.HemorrhageClasses"/> order (any + the subtype; a pasted bleed carries its donor's
/// labels and <see cref="ClassIndex"/> 0), and per pixel what changed.
/// </summary>
public sealed record InsertedBleed(HuImage Hu, byte[] Mask, float[] Labels, int ClassIndex, InsertionEffect[] Effects,
    double HostNoiseHu, double MeanBloodHu)
{
    public int MaskPixels => Mask.Count(m => m != 0);
}
