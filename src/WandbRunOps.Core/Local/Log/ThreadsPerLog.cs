using System;
using System.Collections.Generic;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// How many of a kind of background thread run on each log path: the threads a full read starts count themselves in
    /// and out, so that tests can check that none is left behind once a pipeline ends.
    /// </summary>
    internal sealed class ThreadsPerLog
    {
        private readonly Dictionary<string, int> _running = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>How many are running on the log at <paramref name="path"/>.</summary>
        public int On(string path)
        {
            lock (_running)
            {
                return _running.TryGetValue(path, out int count) ? count : 0;
            }
        }

        public void Count(string path, int change)
        {
            lock (_running)
            {
                int count = (_running.TryGetValue(path, out int now) ? now : 0) + change;
                if (count == 0)
                {
                    _running.Remove(path);
                }
                else
                {
                    _running[path] = count;
                }
            }
        }
    }
}
