using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Files
{
    /// <summary>Reads the JSON files of a run folder (summary, metadata) with the module's extended-JSON parser.</summary>
    public static class JsonFile
    {
        /// <summary>The top-level object in <paramref name="bytes"/>; throws <see cref="System.FormatException"/> when it is not one.</summary>
        public static WandbMap ReadObject(byte[] bytes, string path)
        {
            object? value = ExtendedJson.Parse(bytes, 0, bytes.Length);
            return value as WandbMap ?? throw new System.FormatException("'" + path + "' does not hold a JSON object.");
        }
    }
}
