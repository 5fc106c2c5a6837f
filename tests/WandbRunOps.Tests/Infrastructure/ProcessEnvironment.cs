using System;
using System.Collections.Generic;
using Xunit;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>Tests that set process environment variables (WANDB_*, HOME) run alone: the variables are process-wide.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>Sets variables for a test and puts the old values back afterwards.</summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>();

        public EnvironmentScope Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name))
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
            }

            Environment.SetEnvironmentVariable(name, value);
            return this;
        }

        /// <summary>Clears every variable the module reads, so the machine's own settings cannot leak in.</summary>
        public static EnvironmentScope Clean() =>
            new EnvironmentScope()
                .Set("WANDB_API_KEY", null).Set("WANDB_BASE_URL", null).Set("WANDB_ENTITY", null).Set("WANDB_PROJECT", null)
                .Set("WANDB_CONFIG_DIR", null).Set("NETRC", null);

        public void Dispose()
        {
            foreach (KeyValuePair<string, string?> pair in _saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }
}
