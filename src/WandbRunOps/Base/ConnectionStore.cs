using System;
using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// The Connect-Wandb connection of each PowerShell session (runspace). Kept per runspace so parallel runspaces
    /// (ForEach-Object -Parallel, runspace pools) each have their own and never see another's key.
    /// </summary>
    internal static class ConnectionStore
    {
        private static readonly ConcurrentDictionary<Guid, WandbConnection> Connections = new ConcurrentDictionary<Guid, WandbConnection>();

        public static WandbConnection? Current => Runspace.DefaultRunspace is Runspace runspace && Connections.TryGetValue(runspace.InstanceId, out WandbConnection? connection) ? connection : null;

        public static void Set(WandbConnection connection)
        {
            Runspace runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("Connect-Wandb needs a PowerShell runspace.");
            if (Connections.TryAdd(runspace.InstanceId, connection))
            {
                // Forget the connection (and its key) when the session closes.
                runspace.StateChanged += (sender, e) =>
                {
                    if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                    {
                        Connections.TryRemove(runspace.InstanceId, out _);
                    }
                };
            }
            else
            {
                Connections[runspace.InstanceId] = connection;
            }
        }

        public static WandbConnection? Remove() =>
            Runspace.DefaultRunspace is Runspace runspace && Connections.TryRemove(runspace.InstanceId, out WandbConnection? removed) ? removed : null;
    }
}
