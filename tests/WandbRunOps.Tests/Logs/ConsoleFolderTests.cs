using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Logs;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>Console chunks folded into the lines a terminal shows, and escape codes removed.</summary>
    public class ConsoleFolderTests
    {
        private static List<string> Fold(bool raw, params (string? Stream, string Text)[] chunks)
        {
            var folder = new ConsoleFolder(raw);
            var lines = new List<FoldedLine>();
            foreach ((string? stream, string text) in chunks)
            {
                folder.Write(stream, null, text, lines);
            }

            folder.Flush(lines);
            return lines.Select(l => (l.Stream ?? "-") + ":" + l.Text).ToList();
        }

        [Fact]
        public void ACarriageReturnOverwritesTheLineAndALineFeedEndsIt()
        {
            Assert.Equal(new[] { "stdout:100%|####|", "stdout:done" }, Fold(false, ("stdout", " 10%|#   |\r 50%|##  |\r100%|####|\ndone\n")));
        }

        [Fact]
        public void AShorterOverwriteLeavesTheRestOfTheLineAsATerminalDoes()
        {
            Assert.Equal(new[] { "stdout:XYcdef" }, Fold(false, ("stdout", "abcdef\rXY\n")));
        }

        [Fact]
        public void ACrLfIsOneLineEnd()
        {
            Assert.Equal(new[] { "stdout:a", "stdout:b" }, Fold(false, ("stdout", "a\r"), ("stdout", "\nb\r\n")));
        }

        [Fact]
        public void AChunkEndingMidLineIsContinuedByTheNextChunkOfItsStream()
        {
            Assert.Equal(
                new[] { "stderr:warn", "stdout:loss=0.5 acc=0.9" },
                Fold(false, ("stdout", "loss=0.5"), ("stderr", "warn\n"), ("stdout", " acc=0.9\n")));
        }

        [Fact]
        public void LinesStillOpenAtTheEndComeInTheOrderTheyBegan()
        {
            Assert.Equal(new[] { "stderr:first", "stdout:second" }, Fold(false, ("stderr", "first"), ("stdout", "second")));
        }

        [Fact]
        public void EscapeCodesAreRemovedUnlessRaw()
        {
            const string text = "\u001b[34m\u001b[1mwandb\u001b[0m: \u001b]0;title\u0007done \u001b(Bok\n";
            Assert.Equal(new[] { "stdout:wandb: done ok" }, Fold(false, ("stdout", text)));
            Assert.Equal(new[] { "stdout:" + text.TrimEnd('\n') }, Fold(true, ("stdout", text)));
            Assert.Equal("cut", ConsoleText.StripEscapes("cut\u001b["));
        }

        [Fact]
        public void ATenMegabyteLineWithRedrawsIsFoldedInLinearTime()
        {
            string big = new string('x', 10 * 1024 * 1024);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            List<string> lines = Fold(false, ("stdout", big), ("stdout", "\r" + big.Replace('x', 'y')), ("stdout", "\n"));
            Assert.Single(lines);
            Assert.Equal(10 * 1024 * 1024 + "stdout:".Length, lines[0].Length);
            Assert.EndsWith("yyy", lines[0]);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "folding took " + watch.Elapsed);
        }

        [Fact]
        public void FromTheMiddleOfTheOutputTheFirstLineOfEachStreamIsNotWhole()
        {
            var folder = new ConsoleFolder(false, startsMidStream: true);
            var lines = new List<FoldedLine>();
            folder.Write("stdout", null, "tail of a line\nwhole\n", lines);
            folder.Write("stderr", null, "open", lines);
            folder.Flush(lines);
            Assert.Equal(new[] { false, true, false }, lines.Select(l => l.Whole));
        }
    }
}
