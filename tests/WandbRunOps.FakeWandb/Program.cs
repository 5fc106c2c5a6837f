using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// Command line:
/// <code>
///   --port N --data file.json [--latency-ms N] [--max-page-size N]   serve until Ctrl+C (127.0.0.1 only; port 0 = free port)
///   --sample [--port N ...]                                         serve the built-in sample dataset instead of a file
///   --write-sample file.json                                        write the built-in sample dataset and exit
/// </code>
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: WandbRunOps.FakeWandb (--data <file.json | wandb folder> | --sample) [--port N] [--latency-ms N] [--max-page-size N]\n" +
        "                             [--entity E] [--project P] [--api-key K]   (with a wandb folder: how its runs are served)\n" +
        "                             [--artifact-alias name:alias=new-alias]   (promote a logged artifact version on the server)\n" +
        "       WandbRunOps.FakeWandb --write-sample <file.json>";

    private static async Task<int> Main(string[] args)
    {
        int port = 0;
        string? dataPath = null;
        string entity = "local";
        string project = "runs";
        string apiKey = Environment.GetEnvironmentVariable("WANDB_API_KEY") is { Length: > 0 } key ? key : "local-fakewandb-0000000000000000000000000000000000";
        string? writeSample = null;
        bool sample = false;
        var aliases = new List<(string Reference, string Alias)>();
        var options = new FakeServerOptions();
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--port":
                        port = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--data":
                        dataPath = Next(args, ref i);
                        break;
                    case "--entity":
                        entity = Next(args, ref i);
                        break;
                    case "--project":
                        project = Next(args, ref i);
                        break;
                    case "--api-key":
                        apiKey = Next(args, ref i);
                        break;
                    case "--latency-ms":
                        options.Latency = TimeSpan.FromMilliseconds(double.Parse(Next(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture));
                        break;
                    case "--max-page-size":
                        options.MaxPageSize = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--sample":
                        sample = true;
                        break;
                    case "--artifact-alias":
                    {
                        // name:alias=new-alias: a logged artifact version promoted on the server after the sync (model:best=production).
                        string text = Next(args, ref i);
                        int equals = text.IndexOf('=', StringComparison.Ordinal);
                        if (equals <= 0 || equals == text.Length - 1)
                        {
                            throw new ArgumentException("--artifact-alias takes name:alias=new-alias, e.g. model:best=production");
                        }

                        aliases.Add((text[..equals], text[(equals + 1)..]));
                        break;
                    }
                    case "--write-sample":
                        writeSample = Next(args, ref i);
                        break;
                    case "-h":
                    case "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new ArgumentException("unknown argument '" + args[i] + "'");
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (writeSample is not null)
        {
            FakeSampleData.Create().Save(writeSample);
            Console.WriteLine("Wrote " + Path.GetFullPath(writeSample) + " (api key " + FakeSampleData.ApiKey + ")");
            return 0;
        }

        if (dataPath is null && !sample)
        {
            Console.Error.WriteLine("--data <file.json> (or --sample) is required");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // A folder is a wandb/ directory of local runs, served as one project; a file is a saved FakeDataset.
        FakeDataset data = dataPath is null ? FakeSampleData.Create()
            : Directory.Exists(dataPath) ? LocalRunsDataset.FromWandbFolder(dataPath, entity, project, apiKey)
            : FakeDataset.Load(dataPath);
        if (dataPath is not null && Directory.Exists(dataPath))
        {
            Console.WriteLine("Serving the runs in " + Path.GetFullPath(dataPath) + " as " + entity + "/" + project + " (API key " + apiKey + ")");
        }

        foreach ((string reference, string alias) in aliases)
        {
            if (!data.AddArtifactAlias(reference, alias))
            {
                Console.Error.WriteLine("--artifact-alias: no logged artifact is " + reference);
                return 2;
            }
        }

        options.Port = port;
        await using FakeWandbServer server = await FakeWandbServer.StartAsync(data, options).ConfigureAwait(false);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.TrySetResult();
        });

        Console.WriteLine("Listening on " + server.BaseUrl);
        Console.Out.Flush();
        await stop.Task.ConfigureAwait(false);
        Console.Error.WriteLine("Stopping.");
        return 0;
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new ArgumentException(args[i] + " needs a value");
        }

        return args[++i];
    }
}
