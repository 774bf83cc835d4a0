namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// The CLI tests swap the process-wide Console.Out/Error to capture what a verb prints, so they run in
/// one collection with parallelisation disabled: xunit runs it alone, after the parallel collections,
/// and no other test can interleave output with a captured run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "ich CLI (captures the console)";
}
