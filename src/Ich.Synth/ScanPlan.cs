using System.Numerics;
using Ich.Synth.Anatomy;
using Ich.Synth.Bleeds;

namespace Ich.Synth;

/// <summary>How a scan's pixel values are stored (the real-world variants seen in RSNA and clinical exports).</summary>
public enum PixelEncodingKind
{
    /// <summary>12-bit unsigned, intercept −1024, outside the FOV stored 0; RSNA window quirk, no InstanceNumber.</summary>
    RsnaUnsigned12,
    /// <summary>Signed 16-bit, intercept −1024, −2000 stored outside the FOV; RSNA window quirk, no InstanceNumber.</summary>
    RsnaSignedPadded,
    /// <summary>Signed 16-bit, intercept 0, PixelPaddingValue −2000 outside the FOV, InstanceNumber present.</summary>
    ModernSigned,
    /// <summary>Unsigned 16-bit, intercept −1024, outside the FOV stored 0, InstanceNumber present.</summary>
    ModernUnsigned16,
}

/// <summary>Everything drawn for one scan before rendering: anatomy, pose, geometry, encoding, artifacts, bleeds.</summary>
public sealed class ScanPlan
{
    public required int Index { get; init; }
    public required ulong Seed { get; init; }
    public required PhantomStyle Style { get; init; }
    public required string ScanId { get; init; }
    public required string PatientId { get; init; }
    public required string StudyUid { get; init; }
    public required string SeriesUid { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required HeadAnatomy Anatomy { get; init; }
    public required IReadOnlyList<Bleed> Bleeds { get; init; }
    public required int Size { get; init; }
    public required double PixelSpacingMm { get; init; }
    public required double ThicknessMm { get; init; }
    public required double TiltDegrees { get; init; }
    /// <summary>Position of each slice centre along the slice normal, mm (ascending).</summary>
    public required double[] SliceZ { get; init; }
    /// <summary>World (LPS mm) to head coordinates: head = (world − Translation) rotated by WorldToHead, divided by Scale.</summary>
    public required Matrix4x4 WorldToHead { get; init; }
    public required Vector3 Translation { get; init; }
    public required float Scale { get; init; }
    public required PixelEncodingKind Encoding { get; init; }
    public required bool ImplicitVr { get; init; }
    /// <summary>Quantum noise standard deviation in HU (before any skull-base increase).</summary>
    public required float NoiseHu { get; init; }
    /// <summary>0 sharp, 1 standard, 2 soft reconstruction kernel (passes of a [1 2 1] blur).</summary>
    public required int KernelBlurPasses { get; init; }
    public required float StreakStrength { get; init; }
    /// <summary>Noise texture: passes of the [1 2 1] blur applied to white noise.</summary>
    public required int NoiseGrainPasses { get; init; }
    /// <summary>
    /// The value drawn for each ranged style parameter of this scan, by <see cref="PhantomStyleRanges"/> property name
    /// (calcification densities and tilt only when present; streak lines are drawn per slice).
    /// </summary>
    public required IReadOnlyDictionary<string, double> StyleValues { get; init; }
    /// <summary>Slices with patient motion (ghosting), as a range [start, end).</summary>
    public required (int Start, int End) MotionSlices { get; init; }
    public required string Manufacturer { get; init; }
    public required string KernelName { get; init; }
    public required string StudyDate { get; init; }
    public required string[] FileNames { get; init; }
    public required string[] SopUids { get; init; }

    public int SliceCount => SliceZ.Length;
    /// <summary>The shift groups of a group-limited Shifted scan (<see cref="SynthOptions.ShiftGroups"/>); empty otherwise.</summary>
    public IReadOnlyList<string> ShiftGroups { get; init; } = [];
    public PhantomStyleRanges Ranges => PhantomStyleRanges.For(Style, ShiftGroups);
    /// <summary>Which blood the masks count (<see cref="SynthOptions.Labels"/>); it changes no pixel.</summary>
    public PhantomLabelRule LabelRule { get; init; } = PhantomLabelRule.Geometric;

    /// <summary>The scan's random stream for one purpose (see <see cref="PhantomStyles.Stream"/>).</summary>
    public SynthRandom Random(long purpose) => PhantomStyles.Stream(Style, Seed, Index, purpose);
    public string TransferSyntaxUid => ImplicitVr ? Ich.Dicom.Model.TransferSyntaxes.ImplicitVRLittleEndian : Ich.Dicom.Model.TransferSyntaxes.ExplicitVRLittleEndian;

    /// <summary>Row and column direction cosines and the slice normal (gantry tilt rotates about x).</summary>
    public (Vector3 Row, Vector3 Column, Vector3 Normal) Directions()
    {
        var t = (float)(TiltDegrees * Math.PI / 180);
        return (Vector3.UnitX, new Vector3(0, MathF.Cos(t), -MathF.Sin(t)), new Vector3(0, MathF.Sin(t), MathF.Cos(t)));
    }

    /// <summary>World position (mm) of the centre of the top-left pixel of slice k.</summary>
    public Vector3 ImagePosition(int k)
    {
        var (row, col, normal) = Directions();
        var half = (float)((Size / 2.0 - 0.5) * PixelSpacingMm);
        return normal * (float)SliceZ[k] - row * half - col * half;
    }

    /// <summary>Maps a world point to head coordinates.</summary>
    public Vector3 ToHead(Vector3 world) => Vector3.Transform(world - Translation, WorldToHead) / Scale;
}
