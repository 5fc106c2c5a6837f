using System;
using System.IO;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>The ERROR REFERENCE table of about_WandbRunOps documents every error kind, so the help cannot fall behind the catalogue.</summary>
    public class ErrorReferenceDocTests
    {
        [Fact]
        public void EveryErrorKindHasARowInTheAboutTopicsErrorReference()
        {
            string[] lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "en-US", "about_WandbRunOps.help.md"));
            int section = Array.IndexOf(lines, "## ERROR REFERENCE");
            Assert.True(section >= 0, "about_WandbRunOps has no ERROR REFERENCE section");

            // The table's rows, up to the next section: | Id | Category | When it happens | What to do |
            string[][] rows = lines.Skip(section + 1)
                .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
                .Where(l => l.StartsWith("| Wandb", StringComparison.Ordinal))
                .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
                .ToList()
                .ToArray();

            foreach (WandbErrorKind kind in Enum.GetValues(typeof(WandbErrorKind)))
            {
                string id = new WandbException(kind, "", null).ErrorId;
                string[]? row = rows.FirstOrDefault(r => r[0] == id);
                Assert.True(row is not null, id + " is not in the ERROR REFERENCE table of about_WandbRunOps");
                Assert.Equal(4, row!.Length);
                Assert.All(row, cell => Assert.NotEqual(string.Empty, cell));
            }

            Assert.Equal(Enum.GetValues(typeof(WandbErrorKind)).Length, rows.Select(r => r[0]).Distinct().Count());
        }
    }
}
