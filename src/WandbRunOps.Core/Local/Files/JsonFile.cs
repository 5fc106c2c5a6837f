using System.IO;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Files
{
    /// <summary>Reads the JSON files of a run folder (summary, metadata) with the module's extended-JSON parser.</summary>
    public static class JsonFile
    {
        /// <summary>The file's top-level object; throws <see cref="System.FormatException"/> when it is not one.</summary>
        public static WandbMap ReadObject(string path)
        {
            byte[] bytes = ReadShared(path);
            object? value = ExtendedJson.Parse(bytes, 0, bytes.Length);
            return value as WandbMap ?? throw new System.FormatException("'" + path + "' does not hold a JSON object.");
        }

        internal static byte[] ReadShared(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
    }
}
