using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Ich.Core.Text;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>
/// The Orthanc recipe of docs/deploy.md, for real: dcmtk storescu sends a phantom study (`ich synth`) to Debian's
/// Orthanc by C-STORE; Orthanc's Lua OnStableStudy forwards it by STOW-RS (DICOMweb "Servers" entry with the bearer
/// header) to the real `ich serve` (bundled model); the service triages it and sends its SR/KOS/SC back into Orthanc
/// with --forward-to, where the test finds them in the study (Orthanc's study archive). Orthanc binds 0.0.0.0, so
/// everything runs inside a private network namespace (unshare -n) with only the loopback interface; the script
/// stops what it starts by PID.
/// </summary>
[Collection("service processes")]
public class OrthancRecipeTests
{
    private const string Orthanc = "/usr/sbin/Orthanc";
    private const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    private const string SecondaryCaptureStorage = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>The CLI that `dotnet test` built beside this project (Ich.Serve.Tests references Ich.Cli for it).</summary>
    private static string CliDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(tfm.Parent!.Parent!.Parent!.FullName, "Ich.Cli", tfm.Parent.Name, tfm.Name, "ich.dll");
        }
    }

    [SkippableFact]
    public async Task StudySentToOrthancByCStore_IsForwardedOnStable_Triaged_AndItsResultsComeBackIntoOrthanc()
    {
        Skip.IfNot(File.Exists(Orthanc) && File.Exists(DicomWebPlugin), "skipped: orthanc / orthanc-dicomweb not installed (apt packages orthanc orthanc-dicomweb)");
        Skip.IfNot(File.Exists("/usr/bin/storescu"), "skipped: storescu missing (apt package dcmtk)");
        Skip.IfNot(Environment.UserName == "root" && File.Exists("/usr/bin/unshare"), "skipped: needs root and unshare for a private network namespace (Orthanc binds 0.0.0.0)");
        Assert.True(File.Exists(CliDll), $"the CLI is not built at {CliDll}");

        var dir = RepoPaths.NewTempDir("ich-orthanc");
        var (uid, sops) = await WriteBleedingPhantomAsync(dir, Path.Combine(dir, "dicom"));
        var token = "orthanc-test-token-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(dir, "token"), token);

        // The configuration and Lua script of docs/deploy.md, with test paths and a short StableAge.
        var config = new JsonObject
        {
            ["Name"] = "ICH-TEST",
            ["StorageDirectory"] = Path.Combine(dir, "orthanc-db"),
            ["IndexDirectory"] = Path.Combine(dir, "orthanc-db"),
            ["HttpPort"] = 8042,
            ["DicomPort"] = 4242,
            ["DicomAet"] = "ORTHANC",
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomAlwaysAllowStore"] = true,
            ["SaveJobs"] = false,
            ["StableAge"] = 1,
            ["LuaScripts"] = new JsonArray(Path.Combine(dir, "ich-forward.lua")),
            ["Plugins"] = new JsonArray(DicomWebPlugin),
            ["DicomWeb"] = new JsonObject
            {
                ["Enable"] = true,
                ["Root"] = "/dicom-web/",
                ["Servers"] = new JsonObject
                {
                    ["ich"] = new JsonObject
                    {
                        ["Url"] = "http://127.0.0.1:8043/dicomweb/",
                        ["HttpHeaders"] = new JsonObject { ["Authorization"] = "Bearer " + token },
                    },
                },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "orthanc.json"), config.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(dir, "ich-forward.lua"), """
            function OnStableStudy(studyId, tags, metadata)
              RestApiPost('/dicom-web/servers/ich/stow', '{"Resources": ["' .. studyId .. '"]}')
            end
            """);
        var model = Path.Combine(RepoPaths.Root, "models", "default");
        await File.WriteAllTextAsync(Path.Combine(dir, "run.sh"), $$"""
            set -u
            D='{{dir}}'
            ip link set lo up
            dotnet '{{CliDll}}' serve --data "$D/ich" --urls http://127.0.0.1:8043 --token-file "$D/token" --stable-seconds 1 \
              --model '{{model}}' --forward-to http://127.0.0.1:8042/dicom-web/ > "$D/ich.log" 2>&1 &
            ICH=$!
            Orthanc "$D/orthanc.json" > "$D/orthanc.log" 2>&1 &
            ORT=$!
            trap 'kill -TERM $ORT; kill -KILL $ICH; wait $ORT $ICH 2>/dev/null' EXIT
            for i in $(seq 1 600); do
              curl -sf http://127.0.0.1:8043/healthz > /dev/null && curl -sf http://127.0.0.1:8042/system > /dev/null && break
              sleep 0.2
            done
            storescu -aec ORTHANC 127.0.0.1 4242 "$D"/dicom/*.dcm || { echo "storescu failed"; exit 1; }
            for i in $(seq 1 900); do
              curl -sf -H "Authorization: Bearer $(cat "$D/token")" http://127.0.0.1:8043/api/studies/{{uid}} > "$D/detail.json" \
                && grep -q '"status":"\(done\|failed\)"' "$D/detail.json" && break
              sleep 0.3
            done
            # The service forwards the results before it marks the study done: Orthanc's study now holds them.
            OID=$(curl -sf -X POST http://127.0.0.1:8042/tools/lookup -d '{{uid}}' | sed -n 's/.*"ID" *: *"\([^"]*\)".*/\1/p' | head -n 1)
            curl -sf "http://127.0.0.1:8042/studies/$OID/archive" > "$D/orthanc-study.zip"
            echo finished
            """);

        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", "bash", Path.Combine(dir, "run.sh") }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(600));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the Orthanc recipe script did not finish in 600 s");
        }
        var logs = $"{await stdout}\n{await stderr}\nich.log:\n{ReadOrEmpty(dir, "ich.log")}\northanc.log (tail):\n{string.Join('\n', ReadOrEmpty(dir, "orthanc.log").Split('\n').TakeLast(30))}";
        var detailFile = Path.Combine(dir, "detail.json");
        Assert.True(File.Exists(detailFile) && new FileInfo(detailFile).Length > 0, logs);
        var detail = JsonNode.Parse(await File.ReadAllTextAsync(detailFile))!.AsObject();
        Assert.True(detail["status"]!.GetValue<string>() == "done", $"{detail}\n{logs}");
        Assert.Equal("ORTHANC-1", detail["accessionNumber"]!.GetValue<string>());
        Assert.Equal(sops.Count, detail["instances"]!.GetValue<int>());
        Assert.Equal(sops.Order(StringComparer.Ordinal), detail["slices"]!.AsArray().Select(s => s!["sopInstanceUid"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(detail["flaggedClasses"]!.AsArray().Count > 0, $"the bleeding phantom must be flagged, so that a KOS and captures exist: {detail}");

        // Orthanc's copy of the study: the CT images plus the service's SR, KOS and SC, all in the same study.
        var archive = Path.Combine(dir, "orthanc-study.zip");
        Assert.True(File.Exists(archive) && new FileInfo(archive).Length > 0, logs);
        var instances = ReadArchive(archive);
        Assert.All(instances, d => Assert.Equal(uid, d.GetString(DicomTags.StudyInstanceUID)));
        var byModality = instances.ToLookup(d => d.GetString(DicomTags.Modality));
        Assert.Equal(sops.Order(StringComparer.Ordinal), byModality["CT"].Select(d => d.GetString(DicomTags.SOPInstanceUID)!).Order(StringComparer.Ordinal));
        var sr = Assert.Single(byModality["SR"]);
        Assert.Single(byModality["KO"]);
        Assert.NotEmpty(byModality["OT"]);
        Assert.All(byModality["OT"], d => Assert.Equal(SecondaryCaptureStorage, d.GetString(DicomTags.SOPClassUID)));
        Assert.Equal(sops.Count + 2 + byModality["OT"].Count(), instances.Count); // nothing else arrived

        // The SR's evidence names the study, its series and only instances that were sent.
        var evidence = Assert.Single(sr.GetItems(DicomTags.CurrentRequestedProcedureEvidenceSequence));
        Assert.Equal(uid, evidence.GetString(DicomTags.StudyInstanceUID));
        var referenced = evidence.GetItems(DicomTags.ReferencedSeriesSequence)
            .SelectMany(series => series.GetItems(DicomTags.ReferencedSOPSequence))
            .Select(item => item.GetString(DicomTags.ReferencedSOPInstanceUID)!).ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, sop => Assert.Contains(sop, sops));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// `ich synth` phantoms (64 px, 5 mm); of the scan with the most bleeding slices, up to six of those slices are
    /// written to <paramref name="outDir"/> with accession number ORTHANC-1. Returns the study UID and the SOP UIDs.
    /// </summary>
    private static async Task<(string StudyUid, IReadOnlyList<string> Sops)> WriteBleedingPhantomAsync(string dir, string outDir)
    {
        var synth = Path.Combine(dir, "synth");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliDll, "synth", "--out", synth, "--scans", "3", "--size", "64", "--thickness", "5", "--seed", "7" }) info.ArgumentList.Add(a);
        using (var process = Process.Start(info)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"ich synth: {await output}\n{await errors}");
        }
        var scans = CsvTable.Read(Path.Combine(synth, "scans.csv"));
        var scan = scans.Rows.MaxBy(r => int.Parse(r[scans.Require("positive_slices")], System.Globalization.CultureInfo.InvariantCulture))!;
        var scanId = scan[scans.Require("scan_id")];
        var labels = CsvTable.Read(Path.Combine(synth, "labels.csv")); // ID = SOPInstanceUID_class
        var bleeding = labels.Rows.Where(r => r[labels.Require("Label")] == "1" && r[labels.Require("ID")].EndsWith("_any", StringComparison.Ordinal))
            .Select(r => r[labels.Require("ID")][..^"_any".Length]).ToHashSet(StringComparer.Ordinal);
        Directory.CreateDirectory(outDir);
        var sops = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(synth, scanId), "*.dcm").Order(StringComparer.Ordinal))
        {
            using var file = DicomFileReader.Read(path);
            var sop = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            if (!bleeding.Contains(sop) || sops.Count == 6) continue;
            file.Dataset.Set(Ich.Dicom.Writing.DicomElements.Text(DicomTags.AccessionNumber, DicomVR.SH, "ORTHANC-1"));
            Ich.Dicom.Writing.DicomFileWriter.Write(Path.Combine(outDir, Path.GetFileName(path)), file.Dataset, file.TransferSyntaxUid);
            sops.Add(sop);
        }
        Assert.True(sops.Count >= 2, $"phantom {scanId} has {sops.Count} bleeding slices");
        return (scan[scans.Require("study_uid")], sops);
    }

    private static List<DicomDataset> ReadArchive(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        var list = new List<DicomDataset>();
        foreach (var entry in zip.Entries.Where(e => e.Length > 0))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            list.Add(DicomFileReader.Read(copy.ToArray(), entry.FullName).Dataset); // not disposed: the data sets are used after this returns
        }
        return list;
    }

    private static string ReadOrEmpty(string dir, string name) =>
        File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)) : "(none)";
}
