using System;
using System.Collections.Concurrent;
using WandbRunOps.Diagnostics;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Warnings, verbose and debug lines from work running on worker threads (several runs changed or files saved at
    /// once). PowerShell's streams take writes from the pipeline thread only, so the messages wait here until the
    /// pipeline thread passes them on (<see cref="PassOn"/>).
    /// </summary>
    internal sealed class WorkerMessages
    {
        private readonly ConcurrentQueue<(char Stream, string Text)> _messages = new ConcurrentQueue<(char Stream, string Text)>();

        public WorkerMessages() =>
            Diagnostics = new ReadDiagnostics(m => _messages.Enqueue(('w', m)), m => _messages.Enqueue(('v', m)), m => _messages.Enqueue(('d', m)));

        /// <summary>The diagnostics to give the workers.</summary>
        public ReadDiagnostics Diagnostics { get; }

        /// <summary>Writes what the workers said so far; call on the pipeline thread.</summary>
        public void PassOn(Action<string> warning, Action<string> verbose, Action<string> debug)
        {
            while (_messages.TryDequeue(out (char Stream, string Text) message))
            {
                switch (message.Stream)
                {
                    case 'w':
                        warning(message.Text);
                        break;
                    case 'v':
                        verbose(message.Text);
                        break;
                    default:
                        debug(message.Text);
                        break;
                }
            }
        }
    }
}
