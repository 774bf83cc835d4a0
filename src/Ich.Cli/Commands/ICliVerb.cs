using System.CommandLine;

namespace Ich.Cli.Commands;

/// <summary>
/// One CLI verb. Every non-abstract implementation in this assembly is registered automatically,
/// so a new verb is one new file and no shared list to edit.
/// </summary>
public interface ICliVerb
{
    Command Build();
}
