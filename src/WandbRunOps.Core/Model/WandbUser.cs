namespace WandbRunOps.Model
{
    /// <summary>The person who created a run.</summary>
    public sealed class WandbUser
    {
        public WandbUser(string? username, string? name, string? email)
        {
            Username = username;
            Name = name;
            Email = email;
        }

        public string? Username { get; }

        public string? Name { get; }

        public string? Email { get; }

        public override string ToString() => Username ?? Name ?? Email ?? string.Empty;
    }
}
