using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace WandbRunOps.Tests.Formatting
{
    /// <summary>A host whose UI keeps everything Out-Default writes, 200 columns wide and without colour.</summary>
    internal sealed class CapturingHost : PSHost
    {
        private readonly CapturingUserInterface _ui = new CapturingUserInterface();

        public string Text => _ui.Text;

        public void Clear() => _ui.Clear();

        public override string Name => "WandbRunOps.Tests.CapturingHost";

        public override Version Version => new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => _ui;

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        public override void SetShouldExit(int exitCode)
        {
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException();

        public override void ExitNestedPrompt() => throw new NotSupportedException();

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        private sealed class CapturingUserInterface : PSHostUserInterface
        {
            private readonly StringBuilder _text = new StringBuilder();
            private readonly CapturingRawUserInterface _raw = new CapturingRawUserInterface();

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public void Clear()
            {
                lock (_text)
                {
                    _text.Clear();
                }
            }

            public override PSHostRawUserInterface RawUI => _raw;

            public override void Write(string value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

            public override void WriteLine(string value) => Write(value + "\n");

            public override void WriteErrorLine(string value) => Write(value + "\n");

            public override void WriteDebugLine(string message)
            {
            }

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
            }

            public override void WriteVerboseLine(string message)
            {
            }

            public override void WriteWarningLine(string message)
            {
            }

            public override string ReadLine() => throw new NotSupportedException();

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
        }

        private sealed class CapturingRawUserInterface : PSHostRawUserInterface
        {
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

            public override Coordinates CursorPosition { get; set; }

            public override Coordinates WindowPosition { get; set; }

            public override int CursorSize { get; set; }

            public override Size BufferSize { get; set; } = new Size(200, 1000);

            public override Size WindowSize { get; set; } = new Size(200, 50);

            public override Size MaxWindowSize => new Size(200, 50);

            public override Size MaxPhysicalWindowSize => new Size(200, 50);

            public override bool KeyAvailable => false;

            public override string WindowTitle { get; set; } = string.Empty;

            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

            public override void FlushInputBuffer()
            {
            }

            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
            {
            }

            public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
            {
            }

            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
            {
            }
        }
    }
}
