using System;
using System.IO;
using WandbRunOps.Local.Files;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ConfigYamlReaderTests
    {
        private static WandbMap Read(string yaml) => ConfigYamlReader.Read(new StringReader(yaml), "config.yaml");

        [Fact]
        public void PythonEraUnwrapsDescAndValue()
        {
            WandbMap config = Read(
                "wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.12.15\nlr:\n  desc: null\n  value: 1.0e-06\n" +
                "batch_size:\n  desc: null\n  value: 32\nname:\n  desc: null\n  value: resnet\nlayers:\n  desc: null\n  value:\n  - 64\n  - 128\n");
            Assert.Equal(1L, config["wandb_version"]);
            Assert.Equal(1e-06, config["lr"]);
            Assert.Equal(32L, config["batch_size"]);
            Assert.Equal("resnet", config["name"]);
            Assert.Equal(new object?[] { 64L, 128L }, config["layers"]);
            Assert.Equal("0.12.15", ((WandbMap)config["_wandb"]!)["cli_version"]);
        }

        [Fact]
        public void CoreEraUnwrapsValueOnlyAndKeepsNestedMaps()
        {
            WandbMap config = Read("optimizer:\n    value:\n        name: adam\n        beta1: 0.9\nflag:\n    value: true\n\"data.augment\":\n    value: false\n");
            var optimizer = Assert.IsType<WandbMap>(config["optimizer"]);
            Assert.Equal("adam", optimizer["name"]);
            Assert.Equal(0.9, optimizer["beta1"]);
            Assert.Equal(true, config["flag"]);
            Assert.Equal(false, config["data.augment"]);
        }

        [Fact]
        public void YamlCoreSchemaScalars()
        {
            WandbMap config = Read(
                "a: {value: .nan}\nb: {value: .inf}\nc: {value: -.inf}\nd: {value: '42'}\ne: {value: ~}\nf: {value: 0x1F}\ng: {value: \"true\"}\nh: {value: 1_000}\n");
            Assert.True(double.IsNaN((double)config["a"]!));
            Assert.Equal(double.PositiveInfinity, config["b"]);
            Assert.Equal(double.NegativeInfinity, config["c"]);
            Assert.Equal("42", config["d"]);
            Assert.Null(config["e"]);
            Assert.Equal("0x1F", config["f"]);
            Assert.Equal("true", config["g"]);
            Assert.Equal("1_000", config["h"]);
        }

        [Fact]
        public void AKeyWhoseValueIsAMapWithOtherKeysIsNotUnwrapped()
        {
            WandbMap config = Read("plain:\n  value: 1\n  other: 2\n");
            var plain = Assert.IsType<WandbMap>(config["plain"]);
            Assert.Equal(2L, plain["other"]);
        }

        [Fact]
        public void InvalidYamlIsAFormatErrorNamingTheFile()
        {
            var error = Assert.Throws<FormatException>(() => Read("a: [1, 2\nb: {"));
            Assert.Contains("config.yaml", error.Message);
        }

        [Fact]
        public void AnEmptyFileIsAnEmptyConfig() => Assert.Empty(Read(string.Empty));
    }
}
