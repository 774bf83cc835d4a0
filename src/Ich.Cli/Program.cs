using System.CommandLine;
using Ich.Cli.Commands;

namespace Ich.Cli;

/// <summary>Entry point of <c>ich</c>: registers one verb per pipeline stage; each verb lives in Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("ich — acute intracranial hemorrhage detection on head CT (Wang et al. 2021, RSNA 2019 1st place), in .NET");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }
}
