using System.CommandLine;
using Ich.Serve.Hosting;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich serve</c>: the triage service (Ich.Serve; options and contract in docs/deploy.md). This verb only
/// supplies the study processor and the result forwarder. Neither is wired yet: the prediction application
/// layer and the Ich.DicomWeb STOW-RS client are integrated separately, so until then only
/// <c>--role intake</c> runs, and the worker roles stop at start-up with a message saying so.
/// </summary>
internal sealed class ServeCommandVerb : ICliVerb
{
    public Command Build() => ServeCommand.Build(processorFactory: _ => null, forwarderFactory: _ => null);
}
