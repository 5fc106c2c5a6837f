using System;

namespace WandbRunOps.Errors
{
    /// <summary>A failure the module reports to the user: a catalogue kind, a message that says what to do, and the failing item.</summary>
    public sealed class WandbException : Exception
    {
        public WandbException(WandbErrorKind kind, string message, object? target, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Target = target;
        }

        public WandbErrorKind Kind { get; }

        /// <summary>The item that failed: a path, <c>entity/project/id</c>, an artifact reference.</summary>
        public object? Target { get; }

        /// <summary>The stable error id, e.g. <c>WandbRunNotFound</c>.</summary>
        public string ErrorId => "Wandb" + Kind;
    }
}
