using System.IO.Compression;
using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

public sealed class FileEnumerationTests
{
    private static byte[] Dicom(string sopInstanceUid) => new DicomBytesBuilder().Preamble()
        .Meta(TransferSyntaxes.ExplicitVRLittleEndian, sopInstanceUid).Text(0x0008, 0x0018, "UI", sopInstanceUid).ToArray();

    [Fact]
    public void Enumerate_FolderWithSubfoldersZipAndNotes_ListsFilesAndZipEntriesInOrder()
    {
        var root = RepoPaths.NewTempDir("ich-enum");
        Directory.CreateDirectory(Path.Combine(root, "b", "c"));
        File.WriteAllBytes(Path.Combine(root, "a.dcm"), Dicom("1.1"));
        File.WriteAllBytes(Path.Combine(root, "b", "c", "IM0001"), Dicom("1.2"));
        File.WriteAllText(Path.Combine(root, "b", "README.md"), "notes");
        using (var zip = ZipFile.Open(Path.Combine(root, "b", "series.zip"), ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("dir/x.dcm").Open()) s.Write(Dicom("1.3"));
            using (var s = zip.CreateEntry("dir/notes.txt").Open()) s.Write("hi"u8);
        }
        var skipped = new List<string>();
        var inputs = FileEnumeration.Enumerate([root], skipped.Add).ToList();

        Assert.Equal(
            [Path.Combine(root, "a.dcm"), Path.Combine(root, "b", "series.zip") + "!dir/x.dcm", Path.Combine(root, "b", "c", "IM0001")],
            inputs.Select(i => i.DisplayPath));
        Assert.All(inputs, i => Assert.Null(i.Error));
        Assert.Equal(2, skipped.Count);
        var fromZip = inputs[1].Read();
        Assert.Equal("1.3", fromZip.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(inputs[1].DisplayPath, fromZip.Path);
    }

    [Fact]
    public void Enumerate_HiddenFiles_SkippedInFoldersAndZipsButListedWhenNamed()
    {
        var root = RepoPaths.NewTempDir("ich-enum-hidden");
        File.WriteAllBytes(Path.Combine(root, "a.dcm"), Dicom("1.1"));
        File.WriteAllText(Path.Combine(root, ".DS_Store"), "finder metadata");
        File.WriteAllBytes(Path.Combine(root, ".hidden.dcm"), Dicom("1.2"));
        using (var zip = ZipFile.Open(Path.Combine(root, "s.zip"), ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("x.dcm").Open()) s.Write(Dicom("1.3"));
            using (var s = zip.CreateEntry("__MACOSX/._x.dcm").Open()) s.Write("resource fork"u8);
        }
        var skipped = new List<string>();

        var inputs = FileEnumeration.Enumerate([root], skipped.Add).Select(i => i.DisplayPath).ToList();

        Assert.Equal([Path.Combine(root, "a.dcm"), Path.Combine(root, "s.zip") + "!x.dcm"], inputs);
        Assert.Equal(
            [Path.Combine(root, ".DS_Store"), Path.Combine(root, ".hidden.dcm"), Path.Combine(root, "s.zip") + "!__MACOSX/._x.dcm"],
            skipped.Order(StringComparer.Ordinal));
        var named = Path.Combine(root, ".hidden.dcm");
        Assert.Equal([named], FileEnumeration.Enumerate([named]).Select(i => i.DisplayPath));
    }

    [Fact]
    public void Read_ZipEntriesInParallelAndTwice_AllReadTheirOwnEntry()
    {
        var root = RepoPaths.NewTempDir("ich-zip");
        var zipPath = Path.Combine(root, "many.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
            for (var i = 0; i < 40; i++)
                using (var s = zip.CreateEntry($"IM{i:D4}").Open()) s.Write(Dicom($"9.{i}"));
        var inputs = FileEnumeration.Enumerate([zipPath]).ToList();
        Assert.Equal(40, inputs.Count);
        var uids = inputs.AsParallel().AsOrdered().WithDegreeOfParallelism(4)
            .Select(i => i.Read().Dataset.GetString(DicomTags.SOPInstanceUID)).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"9.{i}"), uids);
        // Entries stay readable after the archive was closed (header-only, then full).
        Assert.Equal("9.7", inputs[7].Read(DicomReadOptions.Header).Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("9.7", inputs[7].Read().Dataset.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Enumerate_DirectorySymlinkLoop_ReportsLoopAndTerminates()
    {
        var root = RepoPaths.NewTempDir("ich-loop");
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllBytes(Path.Combine(root, "a", "x.dcm"), Dicom("2.1"));
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "back"), root);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var inputs = FileEnumeration.Enumerate([root]).Take(1000).ToList();

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100L * 1024 * 1024);
        Assert.Equal(2, inputs.Count);
        Assert.Equal(Path.Combine(root, "a", "x.dcm"), inputs[0].DisplayPath);
        Assert.Contains("loop", inputs[1].Error);
        Assert.Throws<DicomFormatException>(() => inputs[1].Read());
    }

    [Fact]
    public void Enumerate_SymlinkCycleBetweenTwoLinks_ListsThemAndReadingFailsCleanly()
    {
        var root = RepoPaths.NewTempDir("ich-loop2");
        Directory.CreateSymbolicLink(Path.Combine(root, "p"), Path.Combine(root, "q"));
        Directory.CreateSymbolicLink(Path.Combine(root, "q"), Path.Combine(root, "p"));
        // Links that never reach a folder are not folders: they are listed as files and fail when read.
        var inputs = FileEnumeration.Enumerate([root]).Take(1000).ToList();
        Assert.Equal(2, inputs.Count);
        Assert.All(inputs, i => Assert.Contains("cannot open", Assert.Throws<DicomFormatException>(() => i.Read()).Reason));
    }

    [Fact]
    public void Enumerate_MissingPathAndCorruptZip_YieldErrorsAndContinue()
    {
        var root = RepoPaths.NewTempDir("ich-enum-bad");
        var zip = Path.Combine(root, "broken.zip");
        File.WriteAllText(zip, "not a zip");
        var good = Path.Combine(root, "good.dcm");
        File.WriteAllBytes(good, Dicom("3.1"));
        var inputs = FileEnumeration.Enumerate([Path.Combine(root, "missing"), zip, good]).ToList();
        Assert.Equal(3, inputs.Count);
        Assert.Contains("no such file", inputs[0].Error);
        Assert.Contains("zip", inputs[1].Error);
        Assert.Null(inputs[2].Error);
    }
}
