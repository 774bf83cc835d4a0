using System.CommandLine;
using System.Reflection;

namespace Ich.Cli.Commands;

/// <summary><c>ich version</c>: the build and, with <c>--torch</c>, proof that libtorch loads here.</summary>
internal sealed class VersionCommand : ICliVerb
{
    public Command Build()
    {
        var torchOption = new Option<bool>("--torch") { Description = "also load libtorch and print its version" };
        var command = new Command("version", "print the version of ich (and of libtorch with --torch)") { torchOption };
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"ich {version}");
            if (parse.GetValue(torchOption))
            {
                Ich.Model.Runtime.TorchRuntime.Initialize();
                Console.WriteLine($"libtorch {TorchSharp.torch.__version__}, cuda available: {TorchSharp.torch.cuda.is_available()}");
            }
            return 0;
        });
        return command;
    }
}
