using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;

namespace Ich.Dicom.Hu;

/// <summary>
/// Everything that turns one slice's stored values into HU: the Modality LUT (rescale, functional
/// groups or LUT sequence, from <see cref="ModalityTransform"/>), padding, and the bit layout the
/// RSNA-2019 intercept fix looks at.
/// </summary>
public sealed record HuParameters
{
    /// <summary>Stored value → modality output (HU for CT).</summary>
    public required ModalityTransform Transform { get; init; }
    public required int BitsStored { get; init; }
    /// <summary>PixelRepresentation 1.</summary>
    public required bool IsSigned { get; init; }
    /// <summary>True when the data set itself has a non-empty RescaleIntercept element.</summary>
    public required bool HasRescaleIntercept { get; init; }
    /// <summary>PixelPaddingValue as a stored value, or null.</summary>
    public int? PaddingValue { get; init; }
    /// <summary>PixelPaddingRangeLimit as a stored value, or null.</summary>
    public int? PaddingRangeLimit { get; init; }

    /// <summary>Reads the parameters of frame <paramref name="frame"/>; bad values raise <see cref="DicomFormatException"/>.</summary>
    public static HuParameters FromDataset(DicomDataset ds, string? path = null, int frame = 0)
    {
        var description = PixelDescription.FromDataset(ds, path);
        return From(description, ModalityTransform.FromDataset(ds, description, frame, path), ds);
    }

    /// <summary>The parameters of a decoded file's frame.</summary>
    public static HuParameters FromPixelData(DicomPixelData pixels, DicomDataset ds, int frame = 0) =>
        From(pixels.Description, pixels.GetModalityTransform(frame), ds);

    private static HuParameters From(PixelDescription d, ModalityTransform transform, DicomDataset ds) => new()
    {
        Transform = transform,
        BitsStored = d.BitsStored,
        IsSigned = d.IsSigned,
        HasRescaleIntercept = ds.Get(DicomTags.RescaleIntercept) is { Value.Length: > 0 },
        PaddingValue = d.PixelPaddingValue,
        PaddingRangeLimit = d.PixelPaddingRangeLimit,
    };
}
