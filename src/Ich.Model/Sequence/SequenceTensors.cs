using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// One padded batch of scans for <see cref="SliceSequenceNet"/> (float32, same device). Padded slice
/// positions must hold zeros and a 0 in <see cref="Mask"/>; the network never lets them reach a valid position.
/// </summary>
/// <param name="Features">[B, F, L, D] CNN feature vectors, F backbones zero-padded to D.</param>
/// <param name="Probabilities">[B, M, L, 6] CNN probabilities (class order of <see cref="Ich.Core.HemorrhageClasses"/>).</param>
/// <param name="DeltaZ">[B, L] spacing to the next slice in mm (the last slice copies the previous one).</param>
/// <param name="Thickness">[B, L] slice thickness in mm, or null when the network has no thickness input.</param>
/// <param name="Mask">[B, L] 1 for a real slice, 0 for padding; every row is a prefix of ones.</param>
/// <param name="Lengths">Real slice count per scan (B values, each ≥ 1).</param>
public sealed record SequenceTensors(
    Tensor Features,
    Tensor Probabilities,
    Tensor DeltaZ,
    Tensor? Thickness,
    Tensor Mask,
    long[] Lengths);
