using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>
    /// The real PowerShell 7.6 engine (see <see cref="HostedEngine"/>), hosted in-process, with the built module
    /// folder imported the way a user imports it. Each script's output and every other stream are kept for the test to assert on.
    /// </summary>
    public sealed class ModuleRunspace : IDisposable
    {
        private readonly Runspace _runspace;

        public ModuleRunspace(string? location = null)
        {
            _runspace = RunspaceFactory.CreateRunspace(HostedEngine.SessionState());
            _runspace.Open();
            if (location is not null)
            {
                SetLocation(location);
            }
        }

        /// <summary>The current location.</summary>
        public void SetLocation(string path) => _runspace.SessionStateProxy.Path.SetLocation(path);

        /// <summary>The runspace itself, for tests that drive a PowerShell instance directly (Stop, BeginInvoke).</summary>
        public Runspace RawRunspace => _runspace;

        public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

        /// <summary>Runs a script; <paramref name="args"/> are available as $args.</summary>
        public ScriptResult Run(string script, params object?[] args)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(script);
            foreach (object? arg in args)
            {
                shell.AddArgument(arg);
            }

            Collection<PSObject> output;
            Exception? terminating = null;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException e)
            {
                output = new Collection<PSObject>();
                terminating = e;
            }

            return new ScriptResult(
                output.ToList(),
                shell.Streams.Error.ToList(),
                shell.Streams.Warning.Select(w => w.Message).ToList(),
                shell.Streams.Verbose.Select(v => v.Message).ToList(),
                shell.Streams.Progress.ToList(),
                terminating)
            {
                Debug = shell.Streams.Debug.Select(d => d.Message).ToList(),
                Information = shell.Streams.Information.ToList(),
            };
        }

        public void Dispose() => _runspace.Dispose();
    }

    public sealed class ScriptResult
    {
        public ScriptResult(List<PSObject> output, List<ErrorRecord> errors, List<string> warnings, List<string> verbose, List<ProgressRecord> progress, Exception? terminating)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Progress = progress;
            Terminating = terminating;
        }

        public List<PSObject> Output { get; }

        public List<ErrorRecord> Errors { get; }

        public List<string> Warnings { get; }

        public List<string> Verbose { get; }

        public List<ProgressRecord> Progress { get; }

        /// <summary>Debug lines (written only when the script sets $DebugPreference or passes -Debug).</summary>
        public List<string> Debug { get; init; } = new List<string>();

        public List<InformationRecord> Information { get; init; } = new List<InformationRecord>();

        /// <summary>The exception that ended the script, if one did.</summary>
        public Exception? Terminating { get; }

        /// <summary>The base objects of the output (typed module objects, or the PSObject for rows).</summary>
        public List<object> Objects => Output.Select(o => o.BaseObject is PSCustomObject ? o : o.BaseObject).ToList();

        public List<T> Of<T>() => Output.Select(o => o.BaseObject).OfType<T>().ToList();

        public ScriptResult ThrowOnError()
        {
            if (Terminating is not null)
            {
                throw new InvalidOperationException("Script failed: " + Terminating.Message, Terminating);
            }

            if (Errors.Count > 0)
            {
                throw new InvalidOperationException("Script wrote errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            }

            return this;
        }
    }
}
