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
            using var file = input.Read(DicomReadOptions.Full); // the result holds strings only: the pooled bytes can go back
            result = Describe(result, file);
            if (!file.HasPixelData) return result;
            result = WithPixelModule(result, file);
            return result with { PixelSha256 = StoredPixelHash.Compute(DicomPixelData.Create(file)) };
        }
        catch (UnsupportedTransferSyntaxException e)
        {
            return WithHeader(result, input) with { Error = e.Reason, ErrorKind = "unsupported-transfer-syntax" };
        }
        catch (IchException e)
        {
            return WithHeader(result, input) with { Error = e.Reason, ErrorKind = "format" };
        }
        catch (IOException e)
        {
            return result with { Error = e.Message, ErrorKind = "io" };
        }
        catch (UnauthorizedAccessException e)
        {
            return result with { Error = e.Message, ErrorKind = "io" };
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A reader bug must not sink the listing: report it on this file's line, loudly.
            return result with { Error = $"internal error ({e.GetType().Name}): {e.Message}", ErrorKind = "internal" };
        }
    }

    /// <summary>
    /// After a failure, the identity fields from a header-only read when that still works (e.g. the
    /// pixel data is truncated but the header is fine), so the failed line still says which image it is.
    /// </summary>
    private static FileInspectionResult WithHeader(FileInspectionResult result, InputFile input)
    {
        if (result.TransferSyntaxUid is not null && result.Frames is not null) return result; // already described
        try
        {
            var header = input.Read(DicomReadOptions.Header);
            result = Describe(result, header);
            return header.HasPixelData ? WithPixelModule(result, header) : result;
        }
        catch (IchException)
        {
            return result; // whatever could be described before the header failed too
        }
    }

    /// <summary>Pixel module and modality LUT of frame 0 (throws for an unusable pixel module).</summary>
    private static FileInspectionResult WithPixelModule(FileInspectionResult result, DicomFile file)
    {
        var d = PixelDescription.FromDataset(file.Dataset, file.Path);
        var transform = ModalityTransform.FromDataset(file.Dataset, d, 0, file.Path);
        var linear = transform.Source != ModalitySource.LookupTable;
        var source = transform.Source.ToString();
        return result with
        {
            SamplesPerPixel = d.SamplesPerPixel,
            BitsAllocated = d.BitsAllocated,
            BitsStored = d.BitsStored,
            Signed = d.IsSigned,
            Photometric = d.Photometric,
            Frames = d.Frames,
            RescaleSlope = linear ? transform.Slope : null,
            RescaleIntercept = linear ? transform.Intercept : null,
            ModalityLut = char.ToLowerInvariant(source[0]) + source[1..],
            PixelPaddingValue = d.PixelPaddingValue,
        };
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
            Signed = SafeInt(ds, DicomTags.PixelRepresentation) is { } representation ? representation == 1 : null,
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
