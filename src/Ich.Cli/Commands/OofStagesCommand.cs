using System.CommandLine;
using Ich.Application.TrainAll;
using Ich.Core.Errors;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich oof-stages SEQ_FOLDER</c>: writes every stage's out-of-fold output per dataset as stages files
/// (<c>SEQ_FOLDER/stages_oof/&lt;dataset&gt;.csv</c>) for <c>ich evaluate --stages</c>. Packaging writes them too; this verb
/// makes them for a finished sequence run without repackaging its model.
/// </summary>
internal sealed class OofStagesCommand : ICliVerb
{
    public Command Build()
    {
        var folder = new Argument<string>("seq-folder") { Description = "a finished sequence run folder (ich train seq --out ..., or <run>/seq of ich train all)" };
        var command = new Command("oof-stages", "write every stage's out-of-fold output per dataset as stages files, for ich evaluate --stages") { folder };
        command.SetAction(parse =>
        {
            try
            {
                var path = parse.GetValue(folder)!;
                if (string.IsNullOrWhiteSpace(path) || !Directory.Exists(path)) throw new ConfigException("no such folder", path);
                foreach (var written in OofStageFiles.Write(path)) Console.WriteLine(written);
                return 0;
            }
            catch (IchException e)
            {
                Console.Error.WriteLine($"ich oof-stages: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
