using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Tests.Infrastructure;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>Tab completion as PowerShell does it (CommandCompletion.CompleteInput → TabExpansion2), cursor at the end.</summary>
    public static class Completions
    {
        public static List<CompletionResult> Complete(ModuleRunspace ps, string input)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = ps.RawRunspace;
            CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);
            return completion.CompletionMatches.ToList();
        }

        /// <summary>The texts completion would insert.</summary>
        public static List<string> Texts(ModuleRunspace ps, string input) => Complete(ps, input).Select(r => r.CompletionText).ToList();
    }
}
