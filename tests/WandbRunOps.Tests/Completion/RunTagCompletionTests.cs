using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>Set-WandbRun -RemoveTag completes the tags of the runs -Id names, from local folders and from the API.</summary>
    public class RunTagCompletionTests
    {
        public class Local : SampleRunsTest
        {
            [Fact]
            public void TheTagsOfTheRunIdNames()
            {
                Assert.Equal(new[] { "best", "sweep" }, Completions.Texts(Ps, "Set-WandbRun -Id fin0002b -RemoveTag "));
                Assert.Equal(new[] { "sweep" }, Completions.Texts(Ps, "Set-WandbRun -Id fin0002b -RemoveTag s"));
                CompletionResult best = Completions.Complete(Ps, "Set-WandbRun -Id fin0002b -RemoveTag b").Single();
                Assert.Equal(CompletionResultType.ParameterValue, best.ResultType);
                Assert.Equal("tag best (on fin0002b)", best.ToolTip);
            }

            [Fact]
            public void EachTagOnceForSeveralRunsWithTheRunsThatCarryIt()
            {
                Assert.Equal(new[] { "baseline", "best", "sweep" }, Completions.Texts(Ps, "Set-WandbRun -Id fin0001a, fin0002b -RemoveTag "));
                CompletionResult sweep = Completions.Complete(Ps, "Set-WandbRun -Id fin* -RemoveTag sw").Single();
                Assert.Contains("fin0002b", sweep.ToolTip);
                Assert.Contains("fin0003c", sweep.ToolTip);
                Assert.DoesNotContain("fin0001a", sweep.ToolTip);
            }

            [Fact]
            public void AnIdThatMatchesNoRunOrAFolderWithoutRunsCompletesNothingAndRaisesNothing()
            {
                Assert.Empty(Completions.Texts(Ps, "Set-WandbRun -Id nope0000 -RemoveTag "));
                Assert.Empty(Completions.Texts(Ps, "Set-WandbRun -Id resu007g -RemoveTag "));
                string empty = Samples.Scratch("empty");
                Directory.CreateDirectory(empty);
                Ps.SetLocation(empty);
                Assert.Empty(Completions.Texts(Ps, "Set-WandbRun -Id fin0002b -RemoveTag "));
                Assert.Empty(Ps.Run("$Error").Output);
            }
        }

        public class Api : System.IDisposable
        {
            private const string Server = "-BaseUrl $url -ApiKey $key -Project acme-ml/mnist-sweep";
            private readonly ApiSamples _api = new ApiSamples();
            private readonly ModuleRunspace _ps;

            public Api()
            {
                string elsewhere = _api.Samples.Scratch("elsewhere");
                Directory.CreateDirectory(elsewhere);
                _ps = _api.Runspace(elsewhere);

                // Pay the first use of the API client here, not inside the completer's 2-second budget.
                _ps.Run("$null = Get-WandbRun " + Server + " -Id fin0002b").ThrowOnError();
            }

            public void Dispose()
            {
                _ps.Dispose();
                _api.Dispose();
            }

            [Fact]
            public void TheTagsOfTheRunAsTheServerHasIt()
            {
                Assert.Equal(new[] { "best", "sweep" }, Completions.Texts(_ps, "Set-WandbRun " + Server + " -Id fin0002b -RemoveTag "));
                Assert.Equal(new[] { "baseline", "best", "sweep" }, Completions.Texts(_ps, "Set-WandbRun " + Server + " -Id fin0001a, fin0002b -RemoveTag "));
            }

            [Fact]
            public void TagsAreQuotedAsPowerShellNeedsAndNotEscapedAsWildcards()
            {
                lock (_api.Server.Data.SyncRoot)
                {
                    FakeRun run = _api.Server.Data.Projects[0].Runs.First(r => r.Id == "fin0003c");
                    run.Tags = new System.Collections.Generic.List<string> { "needs review", "it's", "v[1]", "plain" };
                }

                string line = "Set-WandbRun " + Server + " -Id fin0003c -RemoveTag ";
                Assert.Equal(new[] { "'it''s'", "'needs review'", "plain", "v[1]" }, Completions.Texts(_ps, line));

                // The completed texts, typed as they are, remove exactly those tags: -RemoveTag takes no wildcards.
                string[] completed = Completions.Texts(_ps, line + "n").Concat(Completions.Texts(_ps, line + "v")).ToArray();
                PSObject changed = _ps.Run("Set-WandbRun " + Server + " -Id fin0003c -RemoveTag " + string.Join(", ", completed) + " -PassThru").ThrowOnError().Output.Single();
                Assert.Equal(new[] { "it's", "plain" }, ((System.Collections.IEnumerable)changed.Properties["Tags"].Value).Cast<object>().Select(o => o.ToString()));
            }
        }
    }
}
