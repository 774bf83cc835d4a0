using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Cli.Inspect;

/// <summary>Reads one input fully and reports its identity, pixel module, modality LUT and pixel hash.</summary>
public static class FileInspection
{
    /// <summary>Never throws for bad input: failures become <see cref="FileInspectionResult.Error"/>.</summary>
    public static FileInspectionResult Inspect(InputFile input)
    {
        var result = new FileInspectionResult { Path = input.DisplayPath };
        if (input.Error is not null) return result with { Error = input.Error, ErrorKind = "io" };
        try
        {
            var file = input.Read(DicomReadOptions.Full);
            result = Describe(result, file);
            if (!file.HasPixelData) return result;
            var pixels = DicomPixelData.Create(file);
            var transform = pixels.GetModalityTransform();
            var linear = transform.Source != ModalitySource.LookupTable;
            result = result with
            {
                SamplesPerPixel = pixels.Description.SamplesPerPixel,
                BitsAllocated = pixels.Description.BitsAllocated,
                BitsStored = pixels.Description.BitsStored,
                Signed = pixels.Description.IsSigned,
                Photometric = pixels.Description.Photometric,
                Frames = pixels.FrameCount,
                RescaleSlope = linear ? transform.Slope : null,
                RescaleIntercept = linear ? transform.Intercept : null,
                ModalityLut = char.ToLowerInvariant(transform.Source.ToString()[0]) + transform.Source.ToString()[1..],
                PixelPaddingValue = pixels.PixelPaddingValue,
            };
            return result with { PixelSha256 = StoredPixelHash.Compute(pixels) };
        }
        catch (UnsupportedTransferSyntaxException e)
        {
            return result with { Error = e.Reason, ErrorKind = "unsupported-transfer-syntax" };
        }
        catch (IchException e)
        {
            return result with { Error = e.Reason, ErrorKind = "format" };
        }
        catch (IOException e)
        {
            return result with { Error = e.Message, ErrorKind = "io" };
        }
        catch (UnauthorizedAccessException e)
        {
            return result with { Error = e.Message, ErrorKind = "io" };
        }
    }

    private static FileInspectionResult Describe(FileInspectionResult result, DicomFile file)
    {
        var ds = file.Dataset;
        return result with
        {
            SopInstanceUid = ds.GetString(DicomTags.SOPInstanceUID) ?? file.FileMeta.GetString(DicomTags.MediaStorageSOPInstanceUID),
            StudyInstanceUid = ds.GetString(DicomTags.StudyInstanceUID),
            SeriesInstanceUid = ds.GetString(DicomTags.SeriesInstanceUID),
            TransferSyntaxUid = file.TransferSyntaxUid,
            TransferSyntaxName = TransferSyntaxInfo.NameOf(file.TransferSyntaxUid) + (file.TransferSyntaxInferred ? " (inferred)" : ""),
            Modality = ds.GetString(DicomTags.Modality),
            Rows = SafeInt(ds, DicomTags.Rows),
            Columns = SafeInt(ds, DicomTags.Columns),
            BitsAllocated = SafeInt(ds, DicomTags.BitsAllocated),
            BitsStored = SafeInt(ds, DicomTags.BitsStored),
            Photometric = ds.GetString(DicomTags.PhotometricInterpretation),
        };
    }

    private static int? SafeInt(DicomDataset ds, DicomTag tag)
    {
        try
        {
            return ds.GetInt(tag);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
