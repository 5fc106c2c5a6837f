using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// Base of the module's argument completers: finds the candidates for one Tab press, keeps those that start with
    /// the typed word, quotes them as PowerShell needs, and never lets an exception reach the prompt.
    /// </summary>
    public abstract class WandbCompleter : IArgumentCompleter
    {
        /// <summary>True when the parameter takes wildcards, so values are offered with their wildcard characters escaped.</summary>
        private protected virtual bool TakesWildcards(CompletionRequest request) => true;

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                using var request = new CompletionRequest(commandName, parameterName, fakeBoundParameters);
                IEnumerable<CompletionCandidate> candidates = Candidates(request, CompletionText.Unquote(wordToComplete, out _));
                return CompletionText.Results(candidates, wordToComplete, TakesWildcards(request));
            }
            catch (Exception)
            {
                // The one catch-all in the module, on purpose. A completer runs inside the user's prompt (TabExpansion2,
                // PSReadLine): no key, a server that is down, slow or answers oddly, a path that vanished, a log being
                // written, or a bug here would otherwise break Tab itself. "No completions" is the right answer to all
                // of them; the command, when run, reports the real problem.
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The values to offer (unfiltered; <paramref name="word"/> is the typed word without quotes, for context).</summary>
        private protected abstract IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word);
    }
}
