namespace WandbRunOps.Files
{
    /// <summary>What a copy or download wrote: its byte count and the base64 MD5 of those bytes.</summary>
    public sealed record FileCopyResult(long Bytes, string Md5);
}
